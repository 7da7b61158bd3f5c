#include "spec/spec.hpp"

#include "core/sha256.hpp"

namespace aiops::spec {

namespace {

nlohmann::json function_json(const Function& function)
{
    nlohmann::json parameters = nlohmann::json::array();
    for (const auto& parameter : function.parameters) {
        nlohmann::json item{{"name", parameter.name}, {"type", parameter.type}};
        if (parameter.default_value) {
            item["default"] = *parameter.default_value;
        }
        if (!parameter.description.empty()) {
            item["description"] = parameter.description;
        }
        parameters.push_back(std::move(item));
    }
    return {{"name", function.name},
            {"file", function.file},
            {"parameters", std::move(parameters)},
            {"returns", function.returns},
            {"description", function.description}};
}

nlohmann::json class_json(const Class& type)
{
    nlohmann::json methods = nlohmann::json::array();
    for (const auto& method : type.methods) {
        methods.push_back(function_json(method));
    }
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& field : type.fields) {
        fields.push_back(
            {{"name", field.name}, {"type", field.type}, {"description", field.description}});
    }
    return {{"name", type.name},
            {"file", type.file},
            {"bases", type.bases},
            {"methods", std::move(methods)},
            {"fields", std::move(fields)},
            {"description", type.description}};
}

nlohmann::json endpoint_json(const Endpoint& endpoint)
{
    nlohmann::json parameters = nlohmann::json::array();
    for (const auto& parameter : endpoint.parameters) {
        parameters.push_back({{"name", parameter.name},
                              {"in", parameter.in},
                              {"required", parameter.required},
                              {"type", parameter.type}});
    }
    return {{"method", endpoint.method},
            {"path", endpoint.path},
            {"operationId", endpoint.operation_id},
            {"summary", endpoint.summary},
            {"file", endpoint.file},
            {"parameters", std::move(parameters)}};
}

} // namespace

nlohmann::json to_json(const Spec& spec)
{
    nlohmann::json out{{"format", spec.format == Spec::Format::aiops ? "aiops" : "openapi"},
                       {"name", spec.name},
                       {"description", spec.description},
                       {"language", spec.language},
                       {"framework", spec.framework},
                       {"requirements", spec.requirements},
                       {"dependencies", spec.dependencies},
                       {"metadata", spec.metadata}};
    nlohmann::json outputs = nlohmann::json::array();
    for (const auto& output : spec.outputs) {
        outputs.push_back({{"path", output.path}, {"description", output.description}});
    }
    out["outputs"] = std::move(outputs);
    out["functions"] = nlohmann::json::array();
    for (const auto& function : spec.functions) {
        out["functions"].push_back(function_json(function));
    }
    out["classes"] = nlohmann::json::array();
    for (const auto& type : spec.classes) {
        out["classes"].push_back(class_json(type));
    }
    out["endpoints"] = nlohmann::json::array();
    for (const auto& endpoint : spec.endpoints) {
        out["endpoints"].push_back(endpoint_json(endpoint));
    }
    out["prompt"] = spec.prompt ? nlohmann::json(spec.prompt->name + "@" + spec.prompt->version)
                                : nlohmann::json(nullptr);
    if (spec.model) {
        out["model"] = {{"provider", spec.model->provider}, {"model", spec.model->model}};
        if (spec.model->temperature) {
            out["model"]["temperature"] = *spec.model->temperature;
        }
        if (spec.model->max_tokens) {
            out["model"]["max_tokens"] = *spec.model->max_tokens;
        }
    } else {
        out["model"] = nullptr;
    }
    return out;
}

std::string spec_hash(const Spec& spec)
{
    return core::sha256_hex(to_json(spec).dump());
}

std::optional<PromptReference> parse_prompt_reference(std::string_view text)
{
    const std::size_t at = text.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == text.size()) {
        return std::nullopt;
    }
    return PromptReference{std::string(text.substr(0, at)), std::string(text.substr(at + 1)), {}};
}

} // namespace aiops::spec
