import protobuf from 'protobufjs';

// The SageMaker SDK's `record.proto` (package aialgs.data, proto2) as a protobufjs JSON
// descriptor, so no .proto file is read at runtime. Field numbers and `packed` options must
// match it exactly: proto2 repeated scalars are unpacked unless declared packed.
const PACKED = { packed: true } as const;
const tensor = (valueType: string) => ({
  fields: {
    values: { rule: 'repeated', type: valueType, id: 1, options: PACKED },
    keys: { rule: 'repeated', type: 'uint64', id: 2, options: PACKED },
    shape: { rule: 'repeated', type: 'uint64', id: 3, options: PACKED },
  },
});

const descriptor = {
  nested: {
    aialgs: {
      nested: {
        data: {
          nested: {
            Float32Tensor: tensor('float'),
            Float64Tensor: tensor('double'),
            Int32Tensor: tensor('int32'),
            Bytes: {
              fields: {
                value: { rule: 'repeated', type: 'bytes', id: 1 },
                content_type: { type: 'string', id: 2 },
              },
            },
            Value: {
              oneofs: {
                value: { oneof: ['float32_tensor', 'float64_tensor', 'int32_tensor', 'bytes'] },
              },
              fields: {
                float32_tensor: { type: 'Float32Tensor', id: 2 },
                float64_tensor: { type: 'Float64Tensor', id: 3 },
                int32_tensor: { type: 'Int32Tensor', id: 7 },
                bytes: { type: 'Bytes', id: 9 },
              },
            },
            Record: {
              fields: {
                features: { keyType: 'string', type: 'Value', id: 1 },
                label: { keyType: 'string', type: 'Value', id: 2 },
                uid: { type: 'string', id: 3 },
                metadata: { type: 'string', id: 4 },
                configuration: { type: 'string', id: 5 },
              },
            },
          },
        },
      },
    },
  },
};

/** The reflected `aialgs.data.Record` message type (SageMaker's RecordIO-protobuf payload). */
export const RecordType: protobuf.Type =
  protobuf.Root.fromJSON(descriptor).lookupType('aialgs.data.Record');
