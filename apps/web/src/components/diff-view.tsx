/** Side-by-side diff of two policy versions (CodeMirror's merge view, read-only). */
import { useEffect, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { xml } from '@codemirror/lang-xml';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

export function DiffView({ left, right, leftLabel, rightLabel }: { left: string; right: string; leftLabel: string; rightLabel: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const ext = [basicSetup, xml(), EditorState.readOnly.of(true), EditorView.editable.of(false)];
    const mv = new MergeView({
      parent: host.current,
      a: { doc: left, extensions: [...ext, EditorView.contentAttributes.of({ 'aria-label': leftLabel })] },
      b: { doc: right, extensions: [...ext, EditorView.contentAttributes.of({ 'aria-label': rightLabel })] },
      collapseUnchanged: { margin: 3, minSize: 6 },
    });
    return () => mv.destroy();
  }, [left, right, leftLabel, rightLabel]);
  return (
    <figure className="diff">
      <figcaption>
        <span className="del">{leftLabel}</span> → <span className="ins">{rightLabel}</span>
      </figcaption>
      <div ref={host} />
    </figure>
  );
}
