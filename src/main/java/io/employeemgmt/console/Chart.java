package io.employeemgmt.console;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart laid out on the server and drawn as inline SVG by the template: no script, no inline
 * style (colours come from the stylesheet by series class), a title and description for screen readers, and the
 * same numbers in a table beside it. One row per category, one bar per series.
 */
public record Chart(
        String id,
        String title,
        String description,
        List<String> series,
        List<Row> rows,
        List<Tick> ticks,
        int width,
        int height,
        int labelWidth,
        int plotBottom) {

    public record Bar(int series, String value, int x, int y, int width, int height) {}

    public record Row(String label, int labelY, List<Bar> bars) {}

    public record Tick(int x, String label) {}

    /** A category and its values, one per series. */
    public record Point(String label, List<? extends Number> values) {}

    private static final int LABEL_WIDTH = 180;
    private static final int PLOT_WIDTH = 420;
    private static final int VALUE_SPACE = 80;
    private static final int BAR = 14;
    private static final int GAP = 3;
    private static final int ROW_PAD = 10;
    private static final int TOP = 8;
    private static final int AXIS = 26;

    static Chart of(String id, String title, String description, List<String> series, List<Point> points) {
        double max = points.stream()
                .flatMap(p -> p.values().stream())
                .mapToDouble(Number::doubleValue)
                .max()
                .orElse(0);
        double scale = niceMax(max);
        int rowHeight = series.size() * (BAR + GAP) + ROW_PAD;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point point = points.get(i);
            int top = TOP + i * rowHeight;
            List<Bar> bars = new ArrayList<>();
            for (int s = 0; s < point.values().size(); s++) {
                double value = point.values().get(s).doubleValue();
                int width = scale == 0 ? 0 : (int) Math.round(value / scale * PLOT_WIDTH);
                if (value > 0 && width == 0) {
                    width = 1;
                }
                bars.add(new Bar(s, format(point.values().get(s)), LABEL_WIDTH, top + s * (BAR + GAP), width, BAR));
            }
            rows.add(new Row(point.label(), top + (series.size() * (BAR + GAP)) / 2 + 4, bars));
        }
        int plotBottom = TOP + points.size() * rowHeight;
        List<Tick> ticks = new ArrayList<>();
        for (int t = 0; t <= 4; t++) {
            ticks.add(new Tick(LABEL_WIDTH + PLOT_WIDTH * t / 4, format(scale * t / 4)));
        }
        return new Chart(
                id,
                title,
                description,
                series,
                rows,
                ticks,
                LABEL_WIDTH + PLOT_WIDTH + VALUE_SPACE,
                plotBottom + AXIS,
                LABEL_WIDTH,
                plotBottom);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code max}. */
    static double niceMax(double max) {
        if (max <= 0) {
            return 0;
        }
        double power = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= max) {
                return step * power;
            }
        }
        return 10 * power;
    }

    static String format(Number value) {
        NumberFormat format = NumberFormat.getNumberInstance(Locale.US);
        if (value instanceof BigDecimal decimal) {
            // Money with cents, ratios with their four decimals, counts without.
            format.setMaximumFractionDigits(Math.max(0, Math.min(4, decimal.scale())));
            format.setMinimumFractionDigits(decimal.scale() > 0 ? 2 : 0);
            return format.format(decimal);
        }
        format.setMaximumFractionDigits(value instanceof Double ? 0 : 4);
        return format.format(value);
    }
}
