/** Copies text to the clipboard and says so; falls back to selecting a hidden textarea where the Clipboard API is refused. */
import { useState } from 'react';

async function copy(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    document.execCommand('copy');
    ta.remove();
  }
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      aria-label={label}
      data-copied={done ? 'yes' : 'no'}
      onClick={() => {
        void copy(text).then(() => {
          setDone(true);
          window.setTimeout(() => setDone(false), 2000);
        });
      }}
    >
      {done ? 'Copied ✓' : 'Copy'}
    </button>
  );
}
