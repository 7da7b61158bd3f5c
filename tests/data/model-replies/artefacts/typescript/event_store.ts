import { EventEmitter } from "events";

export interface StoredEvent<T = unknown> {
  stream: string;
  version: number;
  payload: T;
  recordedAt: Date;
}

export class EventStore extends EventEmitter {
  private readonly streams = new Map<string, StoredEvent[]>();

  append<T>(stream: string, payload: T): StoredEvent<T> {
    const events = this.streams.get(stream) ?? [];
    const event: StoredEvent<T> = {
      stream,
      version: events.length + 1,
      payload,
      recordedAt: new Date(),
    };
    events.push(event);
    this.streams.set(stream, events);
    this.emit("appended", event);
    return event;
  }

  read(stream: string, fromVersion = 0): StoredEvent[] {
    const events = this.streams.get(stream) ?? [];
    return events.filter((event) => event.version > fromVersion);
  }

  replay(stream: string, handler: (event: StoredEvent) => void): number {
    let count = 0;
    for (const event of this.read(stream)) {
      if (event.version
