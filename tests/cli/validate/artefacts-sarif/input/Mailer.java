public class Mailer {
    public void send(String to, String body) {
        throw new UnsupportedOperationException("TODO");
    }
}
