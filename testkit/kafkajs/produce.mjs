// Publishes events straight to Kafka with kafkajs, as a chat service in Node.js would (docs/producers.md).
// Usage: node produce.mjs BOOTSTRAP_SERVERS [default|legacy]
// Reads one record a line on stdin, {"topic": ..., "key": ..., "value": "<the event's JSON>"}, sends them one at a
// time, in order, and prints one line per record once Kafka acknowledged it: {"topic", "partition", "offset"}.
// "default" is kafkajs's DefaultPartitioner (murmur2, as the Java client); "legacy" its LegacyPartitioner, which
// puts keys elsewhere: the tests use it as a producer with the wrong partitioner.
import { createInterface } from 'node:readline';
import { Kafka, Partitioners, logLevel } from 'kafkajs';

const [brokers, partitionerName = 'default'] = process.argv.slice(2);
if (!brokers) {
  console.error('usage: node produce.mjs BOOTSTRAP_SERVERS [default|legacy]');
  process.exit(2);
}
const partitioners = { default: Partitioners.DefaultPartitioner, legacy: Partitioners.LegacyPartitioner };
const createPartitioner = partitioners[partitionerName];
if (!createPartitioner) {
  console.error(`partitioner: '${partitionerName}' is not one of ${Object.keys(partitioners).join(', ')}`);
  process.exit(2);
}

const kafka = new Kafka({ clientId: 'mtp-kafkajs-producer', brokers: brokers.split(','), logLevel: logLevel.WARN });
// acks=all (-1) and idempotence, one request in flight: what the contract asks of every producer.
const producer = kafka.producer({ createPartitioner, idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
try {
  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    const { topic, key, value } = JSON.parse(line);
    const [ack] = await producer.send({ topic, acks: -1, messages: [{ key, value }] });
    console.log(JSON.stringify({ topic: ack.topicName, partition: ack.partition, offset: Number(ack.baseOffset) }));
  }
} finally {
  await producer.disconnect();
}
