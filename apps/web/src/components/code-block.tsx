/** Read-only code (curl examples, snippets, raw answers): keyboard-focusable, named, with a Copy button when asked. */
import { CopyButton } from './copy-button';

export function CodeBlock({ text, label, copyLabel, testId }: { text: string; label: string; copyLabel?: string; testId?: string }) {
  return (
    <div className="code-block">
      {/* Focusable so keyboard users can scroll and select it; named for screen readers. */}
      <pre tabIndex={0} role="region" aria-label={label} data-testid={testId}>
        <code>{text}</code>
      </pre>
      {copyLabel && <CopyButton text={text} label={copyLabel} />}
    </div>
  );
}
