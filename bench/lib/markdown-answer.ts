/** A long Markdown answer with headings, lists, inline code and fenced code blocks, cut into ~4-char tokens. */
export function markdownAnswerTokens(count: number): string[] {
  const sections: string[] = [];
  for (let i = 0; sections.join('').length < count * 4; i++) {
    sections.push(
      `## Step ${i + 1}: configure the \`client\`\n\n` +
        `The **client** reads its settings once, then streams each reply. Keep the *token* out of logs:\n\n` +
        `- open the profile ${i}\n- check the \`baseUrl\`\n- send a short prompt\n\n` +
        '```ts\n' +
        `export async function step${i}(client: HttpClient): Promise<number> {\n` +
        `  const started = performance.now();\n` +
        `  for await (const event of client.stream({ endpoint: 'openai.chat', json: { n: ${i} } })) {\n` +
        `    if (event.data === '[DONE]') break;\n` +
        '  }\n' +
        '  return performance.now() - started;\n' +
        '}\n' +
        '```\n\n' +
        `| field | value |\n|---|---|\n| step | ${i} |\n| status | ok |\n\n`,
    );
  }
  const text = sections.join('');
  const tokens: string[] = [];
  for (let at = 0; at < text.length && tokens.length < count; at += 4) tokens.push(text.slice(at, at + 4));
  return tokens;
}
