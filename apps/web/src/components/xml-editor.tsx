/**
 * The policy editor: CodeMirror 6 with XML highlighting, line numbers, search, and diagnostics
 * placed on the lines the validator or the server named. Uncontrolled inside, synced on `value`.
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

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          // Tab indents inside the editor; Esc then Tab leaves it (CodeMirror's keyboard escape hatch).
          keymap.of([indentWithTab]),
          language === 'xml' ? xml() : json(),
          EditorView.lineWrapping,
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          EditorView.contentAttributes.of({ 'aria-label': label }),
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
    // The editor is created once; value and issues are synced by the effects below.
  }, [readOnly, label, language, minHeight]);

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
  }, [issues]);

  return <div className="editor" ref={host} data-testid={`editor-${label}`} />;
}
