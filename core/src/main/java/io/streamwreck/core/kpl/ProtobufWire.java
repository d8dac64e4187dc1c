package io.streamwreck.core.kpl;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few pieces of the protobuf wire format (proto2) the KPL aggregated record needs: varints and
 * length-delimited fields, written and read. Hand-written because core should not carry the protobuf runtime
 * (and a generated class) for three small messages.
 */
final class ProtobufWire {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private ProtobufWire() {
    }

    /** The data is not a well-formed message; the caller treats the record as a plain one. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads fields from {@code bytes[from, to)}. */
    static final class Reader {
        private final byte[] bytes;
        private int at;
        private final int end;

        Reader(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.at = from;
            this.end = to;
        }

        boolean done() {
            return at >= end;
        }

        long varint() throws MalformedException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= end) {
                    throw new MalformedException("a varint runs past the end");
                }
                byte b = bytes[at++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new MalformedException("a varint is longer than 10 bytes");
        }

        /** The next field's tag: field number << 3 | wire type. */
        int tag() throws MalformedException {
            long tag = varint();
            if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) {
                throw new MalformedException("field number 0 or too large");
            }
            return (int) tag;
        }

        /** A length-delimited field's extent; the reader moves past it. */
        Reader nested() throws MalformedException {
            long length = varint();
            if (length < 0 || length > end - at) {
                throw new MalformedException("a length-delimited field runs past the end");
            }
            Reader inner = new Reader(bytes, at, at + (int) length);
            at += (int) length;
            return inner;
        }

        byte[] bytesField() throws MalformedException {
            Reader r = nested();
            return Arrays.copyOfRange(bytes, r.at, r.end);
        }

        String stringField() throws MalformedException {
            Reader r = nested();
            return new String(bytes, r.at, r.end - r.at, StandardCharsets.UTF_8);
        }

        /** Skips a field this code does not use (newer KPL versions may add some: tags, for one). */
        void skip(int wireType) throws MalformedException {
            switch (wireType) {
                case VARINT -> varint();
                case FIXED64 -> advance(8);
                case LENGTH_DELIMITED -> nested();
                case FIXED32 -> advance(4);
                default -> throw new MalformedException("unsupported wire type " + wireType);
            }
        }

        private void advance(int n) throws MalformedException {
            if (n > end - at) {
                throw new MalformedException("a fixed-width field runs past the end");
            }
            at += n;
        }
    }

    /** Appends fields to a growing array. */
    static final class Writer {
        private byte[] buffer;
        private int size;

        Writer(int capacity) {
            buffer = new byte[Math.max(16, capacity)];
        }

        Writer raw(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buffer, size, bytes.length);
            size += bytes.length;
            return this;
        }

        Writer varint(long value) {
            ensure(10);
            long v = value;
            while ((v & ~0x7FL) != 0) {
                buffer[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buffer[size++] = (byte) v;
            return this;
        }

        Writer varintField(int field, long value) {
            return varint((long) field << 3 | VARINT).varint(value);
        }

        Writer bytesField(int field, byte[] value) {
            return varint((long) field << 3 | LENGTH_DELIMITED).varint(value.length).raw(value);
        }

        Writer stringField(int field, String value) {
            return bytesField(field, value.getBytes(StandardCharsets.UTF_8));
        }

        int size() {
            return size;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }
    }
}
