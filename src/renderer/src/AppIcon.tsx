import { useId } from 'react';

/** The app icon (resources/icon.svg), drawn inline so the page needs no image request. */
export function AppIcon({ size = 32 }: { size?: number }) {
  const gradient = `hub-icon-${useId().replace(/:/g, '')}`;
  return (
    <svg viewBox="0 0 512 512" width={size} height={size} aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id={gradient} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#4f46e5" />
          <stop offset="1" stopColor="#0d9488" />
        </linearGradient>
      </defs>
      <rect x="16" y="16" width="480" height="480" rx="112" fill={`url(#${gradient})`} />
      <g stroke="#ffffff" strokeWidth="16" strokeLinecap="round" opacity="0.7">
        <line x1="256" y1="250" x2="256" y2="130" />
        <line x1="256" y1="250" x2="142" y2="196" />
        <line x1="256" y1="250" x2="370" y2="196" />
      </g>
      <circle cx="256" cy="122" r="30" fill="#ffffff" />
      <circle cx="136" cy="192" r="30" fill="#ffffff" />
      <circle cx="376" cy="192" r="30" fill="#ffffff" />
      <circle cx="256" cy="256" r="58" fill="#ffffff" />
      <circle cx="256" cy="256" r="24" fill={`url(#${gradient})`} />
      <rect x="92" y="330" width="328" height="34" rx="17" fill="#ffffff" />
      <rect x="134" y="364" width="26" height="62" rx="10" fill="#ffffff" opacity="0.8" />
      <rect x="352" y="364" width="26" height="62" rx="10" fill="#ffffff" opacity="0.8" />
    </svg>
  );
}
