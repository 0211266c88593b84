/**
 * @module Text in the web's words: where a text names a pse-doctor command (`pse-doctor probe <host>:<port>`),
 * the web shows a link to its own page that does the same, labelled without command-line options.
 */
import type { ComponentChildren } from 'preact';
import { splitToolMentions, type ToolMention, webLinkOf } from '../../kb/tool-mentions.js';

function ToolLink({ mention }: { mention: ToolMention }) {
  const link = webLinkOf(mention);
  // A command with no page here (verify, mcp) stays what it is: a command for a terminal.
  if (!link) return <code>{mention.raw.replace(/^[`"“]|[`"”]$/g, '')}</code>;
  return (
    <a class="tool-link" href={link.href} data-testid="tool-link">
      {link.label}
    </a>
  );
}

/** `text` with every command it names shown as a link; the plain pieces through `render` (default: as is). */
export function ToolText({
  text,
  render,
}: {
  text: string;
  render?: (piece: string, key: number) => ComponentChildren;
}) {
  return (
    <>
      {splitToolMentions(text).map((p, i) =>
        typeof p === 'string' ? (
          render ? (
            render(p, i)
          ) : (
            <span key={i}>{p}</span>
          )
        ) : (
          <ToolLink key={i} mention={p} />
        ),
      )}
    </>
  );
}
