#pragma once

// What the steps of a generation share inside lib/generate; not part of its interface.

#include "generate/generate.hpp"
#include "generate/prompt_assembly.hpp"
#include "llm/model_client.hpp"
#include "spec/manifest.hpp"
#include "spec/spec.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace aiops::generate {

/// One spec, ready to be sent: everything that can fail without spending is done.
struct Job
{
    std::filesystem::path spec_file;
    /// The spec's path as the model sees it: relative to the repository, else its name,
    /// so no local folder is sent to the provider.
    std::string spec_shown;
    spec::Spec spec;
    std::filesystem::path output;
    AssembledPrompt prompt;
    llm::ProviderKind provider = llm::ProviderKind::openai;
    std::string provider_name;
    llm::Request request;
    std::optional<spec::Manifest> previous;
    std::vector<std::string> outputs;
    /// The validate checks run on the reply's files: --checks, less conformance for a
    /// spec whose declarations lie in a language aiops does not read.
    std::vector<std::string> checks;
};

/// Calls the model for a job, checks the reply's files and sends findings back up to
/// --max-repairs times; writes the files and the manifest once they pass. Records how
/// it ended in `outcome`.
void run_repair_loop(const GenerateOptions& options,
                     const Job& job,
                     llm::ModelClient& client,
                     SpecOutcome& outcome);

/// The usage error for files the generation would replace, naming the first: edited
/// since the last generation, or there without any generation having written them.
core::Error edited_error(const Job& job, const std::vector<std::string>& edited);

} // namespace aiops::generate
