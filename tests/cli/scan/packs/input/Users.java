import java.security.MessageDigest;

class Users {
    java.sql.ResultSet find(java.sql.Statement statement, String name) throws Exception {
        return statement.executeQuery("SELECT id FROM users WHERE name = '" + name + "'");
    }

    MessageDigest digest() throws Exception {
        return MessageDigest.getInstance("SHA-256");
    }
}
