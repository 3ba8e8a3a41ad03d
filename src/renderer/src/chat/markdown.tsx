import 'katex/dist/katex.min.css';
import {
  type ComponentProps,
  memo,
  type ReactElement,
  type ReactNode,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import Markdown, { type Components, type Options } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import rehypeKatex from 'rehype-katex';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { remarkCitations } from './citations';
import { useLinkConfirm } from './LinkConfirm';
import { type MarkdownPiece, markdownPieces } from './markdown-blocks';
import { Citation } from './Sources';

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (node && typeof node === 'object' && 'props' in node) {
    return textOf((node.props as { children?: ReactNode }).children);
  }
  return '';
}

/** A link in model output: https opens in the OS browser after the user sees the full URL; others stay text. */
function SafeLink({ href, children }: ComponentProps<'a'>) {
  const confirm = useLinkConfirm();
  const url = typeof href === 'string' ? href : '';
  if (!url.toLowerCase().startsWith('https:')) {
    const label = textOf(children);
    return (
      <span className="md-plain-link">
        {children}
        {url && url !== label ? <span className="md-link-url"> ({url})</span> : null}
      </span>
    );
  }
  // Every way of following the link asks first: a click (with Ctrl, Cmd or Shift too) and a middle click, whose
  // default would open the link in a new window without the page hearing a click.
  return (
    <a
      href={url}
      title={url}
      onClick={(event) => {
        event.preventDefault();
        confirm(url);
      }}
      onAuxClick={(event) => {
        event.preventDefault();
        if (event.button === 1) confirm(url);
      }}
    >
      {children}
    </a>
  );
}

/** Remote images are never loaded (the CSP forbids them too): the alt text and the address are shown instead. */
function BlockedImage({ src, alt }: ComponentProps<'img'>) {
  const { t } = useTranslation('chat');
  const url = typeof src === 'string' ? src : '';
  return (
    <span className="md-image-blocked" title={t('markdown.imageBlocked')}>
      {t('markdown.image', { alt: alt || t('markdown.untitled') })}
      {url ? <span className="md-link-url"> ({url})</span> : null}
    </span>
  );
}

function CodeBlock({ children, ...rest }: ComponentProps<'pre'>) {
  const { t } = useTranslation('chat');
  const [copied, setCopied] = useState(false);
  const code = textOf(children);
  const language = /language-([\w+#-]+)/.exec(
    (children as { props?: { className?: string } } | undefined)?.props?.className ?? '',
  )?.[1];
  return (
    <div className="md-code">
      <div className="md-code-bar">
        <span>{language ?? t('markdown.plainText')}</span>
        <button
          type="button"
          className="md-code-copy"
          onClick={() => {
            void navigator.clipboard?.writeText(code).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            });
          }}
        >
          {copied ? t('markdown.copied') : t('markdown.copyCode')}
        </button>
      </div>
      <pre {...rest}>{children}</pre>
    </div>
  );
}

function Table(props: ComponentProps<'table'>) {
  return (
    <div className="md-table">
      <table {...props} />
    </div>
  );
}

const components: Components = {
  a: ({ node: _node, ...props }) => <SafeLink {...props} />,
  img: ({ node: _node, ...props }) => <BlockedImage {...props} />,
  pre: ({ node: _node, ...props }) => <CodeBlock {...props} />,
  table: ({ node: _node, ...props }) => <Table {...props} />,
  cite: ({ node: _node, ...props }) => <Citation {...props} />,
};

// One highlighter for every render: creating one registers all its languages, which costs more than most blocks.
const highlighter = rehypeHighlight();
const rehypeSharedHighlight = () => highlighter;

const remarkPlugins = [remarkGfm, remarkMath, remarkCitations];
const finishedPlugins: Options['rehypePlugins'] = [rehypeKatex, rehypeSharedHighlight];
/** The block being written is not highlighted: it is highlighted once, when it ends. */
const writingPlugins: Options['rehypePlugins'] = [rehypeKatex];
const noPlugins: Options['rehypePlugins'] = [];

/** Raw HTML in model output is dropped (no rehype-raw): nothing the model writes can run. */
function renderMarkdown(source: string, rehypePlugins: Options['rehypePlugins']): ReactElement {
  return Markdown({ children: source, remarkPlugins, rehypePlugins, components, skipHtml: true });
}

/** Finished pieces rendered, by their Markdown, so a piece is parsed once however often its message mounts. */
const rendered = new Map<string, ReactElement>();
let renderedChars = 0;
const CACHE_CHARS = 2_000_000;

function finishedMarkdown(source: string): ReactElement {
  const hit = rendered.get(source);
  if (hit) {
    rendered.delete(source);
    rendered.set(source, hit);
    return hit;
  }
  const element = renderMarkdown(source, finishedPlugins);
  rendered.set(source, element);
  renderedChars += source.length;
  for (const [oldest] of rendered) {
    if (renderedChars <= CACHE_CHARS) break;
    rendered.delete(oldest);
    renderedChars -= oldest.length;
  }
  return element;
}

/** Each piece in its own box: a growing reply lays out its last box, not every block it has so far. */
const Piece = memo(function Piece({ source, finished, math }: Omit<MarkdownPiece, 'key'>) {
  return (
    <div className="md-piece" data-finished={finished}>
      {finished ? finishedMarkdown(source) : renderMarkdown(source, math ? writingPlugins : noPlugins)}
    </div>
  );
});

/** The text as of the last animation frame while it is written: deltas arriving faster are rendered together. */
function useFrameText(text: string, writing: boolean): string {
  const [shown, setShown] = useState(text);
  useEffect(() => {
    if (!writing || shown === text) return;
    // A delta before the frame replaces the pending update: the frame renders the newest text once.
    const frame = requestAnimationFrame(() => setShown(text));
    return () => cancelAnimationFrame(frame);
  }, [text, writing, shown]);
  return writing ? shown : text;
}

/**
 * Model output as Markdown, in pieces of whole blocks: a finished piece is rendered once and its DOM is kept; while
 * `writing`, only the last block is re-rendered, at most once a frame.
 */
export const MarkdownText = memo(function MarkdownText({
  text,
  writing,
}: {
  text: string;
  writing: boolean;
}) {
  const shown = useFrameText(text, writing);
  const pieces = useMemo(() => markdownPieces(shown, writing), [shown, writing]);
  return (
    <div className="markdown">
      {pieces.map(({ key, ...piece }) => (
        <Piece key={key} {...piece} />
      ))}
    </div>
  );
});
