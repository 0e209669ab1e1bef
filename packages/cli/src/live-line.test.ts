import { describe, expect, it } from 'vitest';
import { LiveLine } from './live-line.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = {
    isTTY,
    columns: 16,
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('LiveLine', () => {
  it('on a terminal redraws the status line in place, under the lines printed above it', () => {
    const stream = fakeStream(true);
    const live = new LiveLine(stream);
    live.show('InProgress | Training | 0:01 | a long metric');
    live.print('epoch 1');
    live.show('InProgress | Training | 0:02');
    live.clear();
    live.print('done');
    expect(stream.text).toBe(
      '\r\x1b[2KInProgress | Tr' + // cut to the width less one, so it never wraps
        '\r\x1b[2Kepoch 1\nInProgress | Tr' +
        '\r\x1b[2K' + // the same text after cutting is not redrawn; clearing wipes it
        'done\n',
    );
  });

  it('elsewhere writes only the printed lines', () => {
    const stream = fakeStream(false);
    const live = new LiveLine(stream);
    live.show('InProgress | Training | 0:01');
    live.print('epoch 1');
    live.clear();
    expect(stream.text).toBe('epoch 1\n');
  });
});
