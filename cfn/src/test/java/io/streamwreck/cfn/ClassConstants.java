package io.streamwreck.cfn;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the tests need from one compiled class, read straight from its class file (JVMS §4) so that nothing is
 * loaded or run: the string literals, every UTF-8 constant (annotation values live there), the methods it
 * calls on other classes, and, for an enum, its constants' names.
 */
final class ClassConstants {

    /** A method referenced by the class: {@code owner} in internal form (a/b/C), name, descriptor. */
    record MethodRef(String owner, String name, String descriptor) {
    }

    private static final int ACC_ENUM = 0x4000;

    final List<String> stringLiterals = new ArrayList<>();
    final List<String> utf8 = new ArrayList<>();
    final List<MethodRef> methodRefs = new ArrayList<>();
    final Set<String> enumConstants = new HashSet<>();

    static ClassConstants read(byte[] classFile) {
        try {
            return new ClassConstants(new DataInputStream(new ByteArrayInputStream(classFile)));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a class file", e);
        }
    }

    private ClassConstants(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("bad magic");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] text = new String[count];
        int[] stringIndex = new int[count];
        int[][] ref = new int[count][];
        int[] classNameIndex = new int[count];
        int[][] nameAndType = new int[count][];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> text[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // longs and doubles take two slots
                }
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 8 -> stringIndex[i] = in.readUnsignedShort();
                case 9 -> {
                    in.readUnsignedShort();
                    in.readUnsignedShort();
                }
                case 10, 11 -> ref[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 12 -> nameAndType[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 16, 19, 20 -> in.readUnsignedShort();
                case 17, 18 -> in.readInt();
                default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
            }
        }
        for (int i = 1; i < count; i++) {
            if (text[i] != null) {
                utf8.add(text[i]);
            }
            if (stringIndex[i] != 0) {
                stringLiterals.add(text[stringIndex[i]]);
            }
            if (ref[i] != null) {
                int[] nt = nameAndType[ref[i][1]];
                methodRefs.add(new MethodRef(text[classNameIndex[ref[i][0]]], text[nt[0]], text[nt[1]]));
            }
        }
        int access = in.readUnsignedShort();
        in.readUnsignedShort();
        in.readUnsignedShort();
        in.skipBytes(2 * in.readUnsignedShort());
        int fields = in.readUnsignedShort();
        for (int f = 0; f < fields; f++) {
            int fieldAccess = in.readUnsignedShort();
            String name = text[in.readUnsignedShort()];
            in.readUnsignedShort();
            skipAttributes(in);
            if ((access & ACC_ENUM) != 0 && (fieldAccess & ACC_ENUM) != 0) {
                enumConstants.add(name);
            }
        }
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            in.readUnsignedShort();
            in.skipBytes(in.readInt());
        }
    }
}
