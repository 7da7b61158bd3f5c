#pragma once

// A loopback HTTPS server for the TLS tests, and the throwaway certificates it serves:
// made at test time with the openssl program, in the test's scratch folder, valid for
// two days and trusted by nothing but the tests that name them.

#include <memory>
#include <string>

namespace aiops::test {

/// The PEM files of one set of test certificates.
struct TestCertificates
{
    std::string ca;           ///< the CA that signed both server certificates
    std::string unrelated_ca; ///< a second CA that signed nothing the servers show
    std::string server_cert;  ///< for IP 127.0.0.1 and DNS localhost
    std::string server_key;
    std::string elsewhere_cert; ///< for DNS elsewhere.invalid only, signed by ca
    std::string elsewhere_key;
};

/// Makes the certificates in `folder` (created when missing). Throws std::runtime_error
/// when the openssl program is missing (naming its Debian package) or fails.
TestCertificates make_test_certificates(const std::string& folder);

/// An HTTPS server on 127.0.0.1 and a free port, answering every request with status
/// 200 and `body` as JSON. Started by the constructor, stopped by the destructor.
class TlsTestServer
{
public:
    TlsTestServer(const std::string& cert, const std::string& key, std::string body);
    ~TlsTestServer();
    TlsTestServer(const TlsTestServer&) = delete;
    TlsTestServer& operator=(const TlsTestServer&) = delete;

    /// "https://127.0.0.1:PORT".
    std::string url() const;

    /// How many HTTP requests arrived over a completed handshake.
    int requests() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    int m_port = 0;
};

} // namespace aiops::test
