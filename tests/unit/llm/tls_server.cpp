#include "tls_server.hpp"

#include "mock_server.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <httplib.h>
#include <spawn.h>
#include <sys/wait.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace aiops::test {

namespace {

// Runs openssl with `arguments`, its output going to openssl.log in `folder`.
void run_openssl(const std::string& folder, const std::vector<std::string>& arguments)
{
    const auto binary = find_program("openssl");
    if (!binary) {
        throw std::runtime_error("'openssl' not found: install the Debian package 'openssl' "
                                 "(scripts/install-deps does)");
    }
    std::vector<std::string> argv_text{*binary};
    argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& argument : argv_text) {
        argv.push_back(argument.data());
    }
    argv.push_back(nullptr);
    const std::string log = folder + "/openssl.log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = -1;
    const int spawned = posix_spawn(&pid, binary->c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    if (spawned != 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)
        || WEXITSTATUS(status) != 0) {
        throw std::runtime_error(fmt::format(
            "openssl {} failed (see {})", arguments.empty() ? "" : arguments.front(), log));
    }
}

// A self-signed CA certificate and its key.
void make_ca(const std::string& folder, const std::string& name)
{
    run_openssl(folder,
                {"req",
                 "-x509",
                 "-newkey",
                 "ec",
                 "-pkeyopt",
                 "ec_paramgen_curve:prime256v1",
                 "-nodes",
                 "-days",
                 "2",
                 "-subj",
                 "/CN=aiops FAKE test CA " + name,
                 "-addext",
                 "basicConstraints=critical,CA:TRUE",
                 "-addext",
                 "keyUsage=critical,keyCertSign,cRLSign",
                 "-keyout",
                 folder + "/" + name + ".key",
                 "-out",
                 folder + "/" + name + ".pem"});
}

// A server certificate for `names` (a subjectAltName value) signed by the CA `ca`.
void make_server_cert(const std::string& folder,
                      const std::string& name,
                      const std::string& names,
                      const std::string& ca,
                      const std::string& serial)
{
    const std::string extensions = folder + "/" + name + ".ext";
    std::ofstream(extensions) << "subjectAltName=" << names << "\n"
                              << "basicConstraints=CA:FALSE\n"
                              << "keyUsage=critical,digitalSignature\n"
                              << "extendedKeyUsage=serverAuth\n";
    const std::string base = folder + "/" + name;
    run_openssl(folder,
                {"req",
                 "-new",
                 "-newkey",
                 "ec",
                 "-pkeyopt",
                 "ec_paramgen_curve:prime256v1",
                 "-nodes",
                 "-subj",
                 "/CN=aiops FAKE test server " + name,
                 "-keyout",
                 base + ".key",
                 "-out",
                 base + ".csr"});
    run_openssl(folder,
                {"x509",
                 "-req",
                 "-in",
                 base + ".csr",
                 "-CA",
                 folder + "/" + ca + ".pem",
                 "-CAkey",
                 folder + "/" + ca + ".key",
                 "-set_serial",
                 serial,
                 "-days",
                 "2",
                 "-extfile",
                 extensions,
                 "-out",
                 base + ".pem"});
}

} // namespace

TestCertificates make_test_certificates(const std::string& folder)
{
    std::filesystem::create_directories(folder);
    make_ca(folder, "ca");
    make_ca(folder, "unrelated-ca");
    make_server_cert(folder, "server", "IP:127.0.0.1,DNS:localhost", "ca", "1001");
    make_server_cert(folder, "elsewhere", "DNS:elsewhere.invalid", "ca", "1002");
    return {folder + "/ca.pem",
            folder + "/unrelated-ca.pem",
            folder + "/server.pem",
            folder + "/server.key",
            folder + "/elsewhere.pem",
            folder + "/elsewhere.key"};
}

struct TlsTestServer::Impl
{
    Impl(const std::string& cert, const std::string& key) : server(cert.c_str(), key.c_str()) {}

    httplib::SSLServer server;
    std::thread thread;
    std::atomic<int> requests{0};
};

TlsTestServer::TlsTestServer(const std::string& cert, const std::string& key, std::string body)
    : m_impl(std::make_unique<Impl>(cert, key))
{
    ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    ::setenv("no_proxy", "127.0.0.1,localhost", 1);
    if (!m_impl->server.is_valid()) {
        throw std::runtime_error("the TLS test server cannot load '" + cert + "'");
    }
    const auto handler = [this, body](const httplib::Request&, httplib::Response& response) {
        ++m_impl->requests;
        response.set_content(body, "application/json");
    };
    m_impl->server.Get(".*", handler);
    m_impl->server.Post(".*", handler);
    m_port = m_impl->server.bind_to_any_port("127.0.0.1");
    if (m_port <= 0) {
        throw std::runtime_error("the TLS test server cannot bind to 127.0.0.1");
    }
    m_impl->thread = std::thread([this] { m_impl->server.listen_after_bind(); });
    while (!m_impl->server.is_running()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

TlsTestServer::~TlsTestServer()
{
    m_impl->server.stop();
    m_impl->thread.join();
}

std::string TlsTestServer::url() const
{
    return fmt::format("https://127.0.0.1:{}", m_port);
}

int TlsTestServer::requests() const
{
    return m_impl->requests.load();
}

} // namespace aiops::test
