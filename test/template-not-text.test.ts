// Templates that print a group of values (issue 13, point 14): `{{#each this}}{{this}}`, `{{this}}`, a namespace
// inside a block. Handlebars would send "[object Object]" in the prompt; each is a `template-not-text` error at the
// exact `{{…}}` in the YAML.
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../src/compiler/templates.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';

const scope = { vars: { city: 'Lisbon', n: 3 }, characters: { fox: 'a fox detective', owl: 'an owl' }, styles: { noir: 'Noir.' } };
const origin = { span: { file: 'x.yaml', start: 0, end: 1 }, what: 'the prompt' };
const context = { ...scope.vars, vars: scope.vars, characters: scope.characters, styles: scope.styles };

/** The code of each diagnostic and the `{{…}}` its span covers (the origin is the template itself here). */
function problems(text: string): [string, string][] {
  return renderTemplate(text, scope, { ...origin, raw: { text, start: 0 } }).diagnostics.map((d) => [d.code, text.slice(d.span?.start, d.span?.end)]);
}

describe('a template that prints a group of values instead of text', () => {
  it('is refused where Handlebars would print "[object Object]"', () => {
    const cases: [string, string][] = [
      ['{{#each this}}{{this}} {{/each}}', '{{this}}'],
      ['Scope: {{this}}', '{{this}}'],
      ['{{.}}', '{{.}}'],
      ['{{#with characters}}{{this}}{{/with}}', '{{this}}'],
      ['{{#if city}}{{characters}}{{/if}}', '{{characters}}'],
      ['{{#if city}}{{{styles}}}{{/if}}', '{{{styles}}}'],
      ['{{#each characters}}{{../vars}}{{/each}}', '{{../vars}}'],
      ['{{#each characters}}{{@root.vars}}{{/each}}', '{{@root.vars}}'],
      ['{{@root}}', '{{@root}}'],
    ];
    for (const [text, printed] of cases) {
      expect(Handlebars.compile(text, { noEscape: true })(context), text).toContain('[object Object]');
      expect(problems(text), text).toEqual([['template-not-text', printed]]);
    }
  });

  it('reports each `{{…}}` once, however often a loop prints it, and keeps the ones that print text', () => {
    expect(problems('{{#each this}}{{@key}}={{this}} {{/each}} in {{city}} {{#with vars}}{{this}}{{/with}}'))
      .toEqual([['template-not-text', '{{this}}'], ['template-not-text', '{{this}}']]);
  });

  it('still renders loops and blocks over values exactly as Handlebars does', () => {
    for (const text of ['{{#each characters}}{{this}}; {{/each}}', '{{#each vars}}{{@key}}={{this}} {{/each}}', '{{#with vars}}{{city}}{{/with}}',
      '{{#each this}}{{@key}} {{/each}}', '{{#each characters}}{{@index}}:{{.}}{{#unless @last}}, {{/unless}}{{/each}}']) {
      expect(renderTemplate(text, scope, origin), text).toEqual({ rendered: Handlebars.compile(text, { strict: true, noEscape: true })(context), diagnostics: [] });
    }
  });

  it('still fails on a name missing inside a block', () => {
    expect(problems('{{#with vars}}{{cty}}{{/with}}').map(([code]) => code)).toEqual(['unknown-template-name']);
  });

  it('is an error of validate at the `{{…}}` in the YAML, in a shot\'s prompt and dialogue too', () => {
    const text = `version: 1
characters:
  fox: a fox detective
scenes:
  - id: office
    model: wan2.7-t2v
    shots:
      - { id: a, duration: 5, prompt: "{{#with characters}}{{this}}{{/with}} waits", dialogue: "I am {{this}}" }
`;
    const r = validateStoryboard({ path: 'film.yaml', text });
    expect(r.ok).toBe(false);
    const found = r.diagnostics.map((d) => [d.code, text.slice(d.span?.start, d.span?.end), text.slice(0, d.span?.start).split('\n').length]);
    expect(found).toEqual([['template-not-text', '{{this}}', 8], ['template-not-text', '{{this}}', 8]]);
    expect(r.diagnostics.map((d) => d.span?.start)).toEqual([text.indexOf('{{this}}'), text.lastIndexOf('{{this}}')]);
  });
});
