/** A one-line progress bar on stderr, drawn only on a terminal and only for large trees. */
export function progressBar(stream: NodeJS.WriteStream, minimum = 200): ((done: number, total: number) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let last = -1;
  return (done, total) => {
    if (total < minimum) return;
    const percent = Math.floor((done / total) * 100);
    if (percent === last) return;
    last = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${done}/${total} files`);
    if (done === total) stream.write('\r\x1b[K');
  };
}
