package com.acme.report.format;

public final class Table {
    public static String render(String text) {
        return text;
    }
}
