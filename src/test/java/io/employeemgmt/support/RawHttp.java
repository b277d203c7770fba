package io.employeemgmt.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes exactly as given over a plain socket, for requests no HTTP client library would send: malformed
 * request lines, raw non-ASCII header bytes, invalid percent-encoding, odd methods. Reads one response
 * ({@code Connection: close} is sent, so the body ends with the stream).
 */
public final class RawHttp {

    private RawHttp() {}

    public record Response(int status, Map<String, String> headers, String body, long millis) {

        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /** A request line, headers (each "Name: value") and no body; bytes are sent as ISO-8859-1 unless raw. */
    public static Response request(int port, String requestLine, String... headers) {
        StringBuilder text = new StringBuilder(requestLine).append("\r\n");
        text.append("Host: 127.0.0.1\r\n");
        for (String header : headers) {
            text.append(header).append("\r\n");
        }
        text.append("Connection: close\r\n\r\n");
        return send(port, text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Response send(int port, byte[] bytes) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            // A literal loopback address: nothing to resolve.
            @SuppressWarnings("AddressSelection")
            InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", port);
            socket.connect(loopback, 2000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            byte[] all = readAll(socket.getInputStream());
            return parse(new String(all, StandardCharsets.UTF_8), (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // A reset after the response was sent: keep what arrived.
        } catch (java.net.SocketTimeoutException e) {
            // No complete answer in time: what arrived (possibly nothing) is the answer.
        }
        return out.toByteArray();
    }

    private static Response parse(String raw, long millis) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Response(-1, Map.of(), raw, millis);
        }
        String[] lines = raw.substring(0, end).split("\r\n", -1);
        int status = Integer.parseInt(lines[0].split(" ", -1)[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        String body = raw.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, body, millis);
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
