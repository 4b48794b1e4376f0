/**
 * Side-by-side diff of two policy versions (CodeMirror's merge view, read-only): long lines
 * wrap, unchanged stretches fold behind a plain-text marker (the default glyph is missing from
 * common fonts), both sides are keyboard-focusable and follow the dark mode.
 */
import { useEffect, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { xml } from '@codemirror/lang-xml';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useColorScheme } from '../lib/color-scheme';
import { editorTheme } from '../lib/editor-theme';

const marker = EditorView.theme({
  '.cm-collapsedLines': { fontFamily: 'inherit', fontStyle: 'italic', borderTop: '1px dashed currentColor', borderBottom: '1px dashed currentColor' },
  '.cm-collapsedLines:before, .cm-collapsedLines:after': { content: 'none' },
});

export function DiffView({ left, right, leftLabel, rightLabel }: { left: string; right: string; leftLabel: string; rightLabel: string }) {
  const host = useRef<HTMLDivElement>(null);
  const scheme = useColorScheme();
  useEffect(() => {
    if (!host.current) return;
    const ext = [
      basicSetup,
      xml(),
      EditorView.lineWrapping,
      EditorState.readOnly.of(true),
      EditorView.editable.of(false),
      EditorState.phrases.of({ '$ unchanged lines': '··· $ unchanged lines (click to show) ···' }),
      marker,
      ...editorTheme(scheme),
    ];
    const attrs = (label: string) => EditorView.contentAttributes.of({ 'aria-label': label, 'aria-readonly': 'true', role: 'textbox', 'aria-multiline': 'true', tabindex: '0' });
    const mv = new MergeView({
      parent: host.current,
      a: { doc: left, extensions: [...ext, attrs(leftLabel)] },
      b: { doc: right, extensions: [...ext, attrs(rightLabel)] },
      collapseUnchanged: { margin: 3, minSize: 6 },
    });
    return () => mv.destroy();
  }, [left, right, leftLabel, rightLabel, scheme]);
  return (
    <figure className="diff" data-testid="diff">
      <figcaption>
        <span className="del">{leftLabel}</span> → <span className="ins">{rightLabel}</span>
      </figcaption>
      <div ref={host} />
    </figure>
  );
}
