#include "test_support.hpp"

#include <sys/wait.h>

#include <cstdlib>

namespace aiops::test {

int run(const std::string& command)
{
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace aiops::test
