package com.acme.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.acme.report.format.Table;
import com.google.gson.Gson;
import org.apache.commons.csv.CSVPrinter;

public final class Report {
    public static String toJson(Map<String, Integer> totals) {
        return new Gson().toJson(totals);
    }

    public static void write(Path target, String text) throws java.io.IOException {
        Files.writeString(target, Table.render(text));
    }
}
