/**
 * The policy editor: CodeMirror 6 with XML highlighting, line numbers, search, and diagnostics
 * placed on the lines the validator or the server named. Uncontrolled inside, synced on `value`.
 * Read-only viewers stay in the tab order (keyboard users scroll and select them) and follow
 * the system's dark mode like the editor.
 */
import { useEffect, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { xml } from '@codemirror/lang-xml';
import { json } from '@codemirror/lang-json';
import { setDiagnostics } from '@codemirror/lint';
import type { Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { indentWithTab } from '@codemirror/commands';
import { useColorScheme } from '../lib/color-scheme';
import { editorTheme } from '../lib/editor-theme';
import type { LineIssue } from '../lib/xml-check';

export interface XmlEditorProps {
  readonly value: string;
  readonly onChange?: (text: string) => void;
  readonly readOnly?: boolean;
  readonly issues?: readonly LineIssue[];
  readonly label: string;
  readonly language?: 'xml' | 'json';
  readonly minHeight?: string;
}

function diagnostics(state: EditorState, issues: readonly LineIssue[]): Diagnostic[] {
  return issues.map((i) => {
    const n = Math.min(Math.max(i.line ?? 1, 1), state.doc.lines);
    const line = state.doc.line(n);
    return { from: line.from, to: line.to, severity: 'error', message: i.message };
  });
}

export function XmlEditor({ value, onChange, readOnly = false, issues = [], label, language = 'xml', minHeight = '16rem' }: XmlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  change.current = onChange;
  const scheme = useColorScheme();
  const latest = useRef(value);
  latest.current = value;

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: latest.current,
        extensions: [
          basicSetup,
          // Tab indents inside the editor; Esc then Tab leaves it (CodeMirror's keyboard escape hatch).
          keymap.of([indentWithTab]),
          language === 'xml' ? xml() : json(),
          EditorView.lineWrapping,
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          // A read-only viewer is not contenteditable, so it needs its own place in the tab order.
          EditorView.contentAttributes.of(readOnly ? { 'aria-label': label, 'aria-readonly': 'true', role: 'textbox', 'aria-multiline': 'true', tabindex: '0' } : { 'aria-label': label }),
          ...editorTheme(scheme),
          EditorView.theme({ '&': { minHeight }, '.cm-scroller': { minHeight } }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) change.current?.(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is created once per configuration; value and issues are synced by the effects below.
  }, [readOnly, label, language, minHeight, scheme]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.dispatch(setDiagnostics(v.state, diagnostics(v.state, issues)));
    const first = issues.find((i) => i.line !== undefined);
    if (first?.line !== undefined && first.line <= v.state.doc.lines) {
      v.dispatch({ effects: EditorView.scrollIntoView(v.state.doc.line(first.line).from, { y: 'center' }) });
    }
  }, [issues, scheme]);

  return <div className="editor" ref={host} data-testid={`editor-${label}`} />;
}
