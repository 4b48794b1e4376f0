/**
 * Syntax colours for the code editors that keep WCAG AA contrast (4.5:1) on the editor's own
 * backgrounds, including the active-line and diff tints: CodeMirror's default light palette
 * falls just short (e.g. #085 on the active line, 4.26:1). Dark: One Dark's editor theme with a
 * palette of its hues raised to the same contrast (its comments and tag names fall short too).
 */
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { oneDarkTheme } from '@codemirror/theme-one-dark';
import { tags as t } from '@lezer/highlight';

const light = HighlightStyle.define([
  { tag: t.meta, color: '#3a403b' },
  { tag: t.keyword, color: '#6a0a78' },
  { tag: [t.atom, t.bool, t.url, t.contentSeparator, t.labelName], color: '#1a1a8c' },
  { tag: [t.literal, t.inserted], color: '#0d5a2e' },
  { tag: [t.string, t.deleted], color: '#8a1111' },
  { tag: [t.regexp, t.escape, t.special(t.string)], color: '#9a3000' },
  { tag: t.definition(t.variableName), color: '#0000b8' },
  { tag: t.local(t.variableName), color: '#30208a' },
  { tag: [t.typeName, t.namespace], color: '#005c3a' },
  { tag: t.className, color: '#0e5a56' },
  { tag: [t.special(t.variableName), t.macroName], color: '#1f4d5a' },
  { tag: t.definition(t.propertyName), color: '#0000b0' },
  { tag: t.propertyName, color: '#5a2a00' },
  { tag: t.attributeName, color: '#7a3300' },
  { tag: t.attributeValue, color: '#8a1111' },
  { tag: t.tagName, color: '#005c3a' },
  { tag: t.comment, color: '#6e4a00' },
  { tag: t.invalid, color: '#b00000' },
]);

const dark = HighlightStyle.define([
  { tag: t.keyword, color: '#d7a2ea' },
  { tag: [t.name, t.deleted, t.character, t.propertyName, t.macroName, t.tagName, t.typeName, t.namespace], color: '#f0a3aa' },
  { tag: [t.function(t.variableName), t.labelName], color: '#8ec8ff' },
  { tag: [t.color, t.constant(t.name), t.standard(t.name), t.number, t.atom, t.bool, t.changed, t.annotation, t.modifier, t.self], color: '#e0b184' },
  { tag: [t.attributeName, t.className], color: '#ecca8c' },
  { tag: [t.operator, t.operatorKeyword, t.url, t.escape, t.regexp, t.link, t.special(t.string)], color: '#7fd0dc' },
  { tag: [t.meta, t.comment], color: '#a9b1c1', fontStyle: 'italic' },
  { tag: [t.string, t.inserted, t.attributeValue], color: '#a8d08d' },
  { tag: t.heading, fontWeight: 'bold', color: '#f0a3aa' },
  { tag: t.invalid, color: '#ffb4b4' },
  { tag: [t.punctuation, t.angleBracket, t.separator], color: '#c3c9d4' },
]);

/** Gutters (line numbers) with enough contrast in the light scheme. */
const lightGutters = EditorView.theme({ '.cm-gutters': { backgroundColor: '#f5f5f5' }, '.cm-gutters .cm-gutterElement': { color: '#5a5f66' } }, { dark: false });

// On the line numbers themselves: One Dark's gutter colour rule would otherwise win.
const darkGutters = EditorView.theme({ '.cm-gutters .cm-gutterElement': { color: '#a9b1c1' } }, { dark: true });

export function editorTheme(scheme: 'light' | 'dark'): Extension[] {
  return scheme === 'dark' ? [oneDarkTheme, syntaxHighlighting(dark), darkGutters] : [syntaxHighlighting(light), lightGutters];
}
