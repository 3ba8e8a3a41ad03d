import 'katex/dist/katex.min.css';
import {
  type ComponentProps,
  memo,
  type ReactElement,
  type ReactNode,
  useDeferredValue,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import Markdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import rehypeKatex from 'rehype-katex';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { useLinkConfirm } from './LinkConfirm';

/** Models often write \( … \) and \[ … \]; remark-math reads $ … $ and $$ … $$. Code stays untouched. */
export function normalizeMathDelimiters(text: string): string {
  if (!text.includes('\\(') && !text.includes('\\[') && !text.includes('$$')) return text;
  return text
    .split(/(```[\s\S]*?(?:```|$)|`[^`\n]*`)/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part
            .replace(/\\\[([\s\S]+?)\\\]/g, (_all, body: string) => `\n$$\n${body.trim()}\n$$\n`)
            // A line that is only $$ … $$ is display math; remark-math wants the fences on their own lines.
            .replace(/^[ \t]*\$\$([^\n]+?)\$\$[ \t]*$/gm, (_all, body: string) => `$$\n${body.trim()}\n$$`)
            .replace(/\\\((.+?)\\\)/g, (_all, body: string) => `$${body}$`),
    )
    .join('');
}

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
};

const remarkPlugins = [remarkGfm, remarkMath];
const rehypePlugins = [rehypeKatex, rehypeHighlight] as const;

/** Raw HTML in model output is dropped (no rehype-raw): nothing the model writes can run. */
function renderMarkdown(text: string): ReactElement {
  return Markdown({
    children: normalizeMathDelimiters(text),
    remarkPlugins,
    rehypePlugins: [...rehypePlugins],
    components,
    skipHtml: true,
  });
}

/** Rendered Markdown of finished messages, by message id + updatedAt, so scrolling back never re-parses. */
const renderedCache = new Map<string, ReactElement>();
const CACHE_LIMIT = 600;

function cachedMarkdown(cacheKey: string, text: string): ReactElement {
  const hit = renderedCache.get(cacheKey);
  if (hit) {
    renderedCache.delete(cacheKey);
    renderedCache.set(cacheKey, hit);
    return hit;
  }
  const element = renderMarkdown(text);
  renderedCache.set(cacheKey, element);
  if (renderedCache.size > CACHE_LIMIT) {
    const oldest = renderedCache.keys().next().value;
    if (oldest !== undefined) renderedCache.delete(oldest);
  }
  return element;
}

/** A finished message: parsed once per id + updatedAt. */
export const FinishedMarkdown = memo(function FinishedMarkdown({
  cacheKey,
  text,
}: {
  cacheKey: string;
  text: string;
}) {
  return <div className="markdown">{cachedMarkdown(cacheKey, text)}</div>;
});

/** The streaming message: re-parsed as it grows, letting React skip frames when it falls behind. */
export function StreamingMarkdown({ text }: { text: string }) {
  const deferred = useDeferredValue(text);
  return <div className="markdown">{renderMarkdown(deferred)}</div>;
}
