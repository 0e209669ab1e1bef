import { describe, expect, it } from 'vitest';
import { csvLabelColumns, parseContentType, unsupportedContentType } from './content-type.js';

describe('parseContentType', () => {
  it('splits the media type from its parameters, case-insensitively', () => {
    expect(parseContentType('Text/CSV; label_size=0; charset="utf-8"')).toEqual({
      mediaType: 'text/csv',
      params: { label_size: '0', charset: 'utf-8' },
    });
    expect(parseContentType('application/x-recordio-protobuf')).toEqual({
      mediaType: 'application/x-recordio-protobuf',
      params: {},
    });
  });
});

describe('csvLabelColumns', () => {
  it('lets label_size override the algorithm default and rejects other sizes', () => {
    expect(csvLabelColumns(parseContentType('text/csv;label_size=0'), 1)).toBe(0);
    expect(csvLabelColumns(parseContentType('text/csv'), 1)).toBe(1);
    expect(() => csvLabelColumns(parseContentType('text/csv;label_size=2'), 1)).toThrow(
      'label_size=2 is not supported',
    );
  });
});

describe('unsupportedContentType', () => {
  it('tells the user which content types to use', () => {
    expect(unsupportedContentType('image/png').message).toBe(
      "Content type 'image/png' is not supported by this algorithm. Set the channel's ContentType to one of: text/csv, application/x-recordio-protobuf (for CSV without a label column, use text/csv;label_size=0).",
    );
  });
});
