import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../src/compiler/templates.js';

const scope = { vars: { city: 'New York', year: 1947, rainy: false, n: 0 }, characters: { keeper: 'an old keeper' }, styles: { noir: 'Noir.' } };
const origin = { span: { file: 'x.yaml', start: 0, end: 1 }, what: 'the prompt' };

describe('renderTemplate', () => {
  it('gives exactly what Handlebars (strict, no escaping) gives, on the fast path and off it', () => {
    const cases = [
      'In {{city}} in {{year}}', '{{ vars.city }} & <{{characters.keeper}}>', '{{rainy}} {{n}} "{{styles.noir}}"',
      '{{#if rainy}}wet{{else}}dry{{/if}} {{city}}', '{{#each characters}}{{this}};{{/each}}', "{{city}}'s {{{city}}}",
    ];
    const context = { ...scope.vars, vars: scope.vars, characters: scope.characters, styles: scope.styles };
    for (const text of cases) {
      const expected = Handlebars.compile(text, { strict: true, noEscape: true })(context);
      expect(renderTemplate(text, scope, origin)).toEqual({ rendered: expected, diagnostics: [] });
    }
  });

  it('reports an unknown name with its code and a did-you-mean', () => {
    const r = renderTemplate('A {{characters.keepr}} walks', scope, origin);
    expect(r.diagnostics.map((d) => [d.code, d.hint])).toEqual([['unknown-template-name', 'Did you mean `keeper`?']]);
  });

  it('refuses helpers other than if/unless/each/with, partials and prototype paths', () => {
    const codes = (t: string): string[] => renderTemplate(t, scope, origin).diagnostics.map((d) => d.code);
    expect(codes('{{lookup vars "city"}}')).toEqual(['template-helper-not-allowed']);
    expect(codes('{{log city}}')).toEqual(['template-helper-not-allowed']);
    expect(codes('{{> header}}')).toEqual(['template-helper-not-allowed']);
    expect(codes('{{city.constructor}}')).toEqual(['unknown-template-name']);
    expect(codes('{{characters}}')).toEqual(['unknown-template-name']);
  });
});
