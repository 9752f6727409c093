// aliases.cpp — recursive alias expansion with loop detection.
#include "agents/aliases.hpp"

#include <algorithm>

namespace postino::agents {

std::string alias_key(const std::string& address) {
    std::string k = address;
    for (char& c : k) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return k;
}

void AliasTable::add(const std::string& alias, std::vector<std::string> targets) {
    table_[alias_key(alias)] = std::move(targets);
}

bool AliasTable::is_alias(const std::string& address) const { return table_.count(alias_key(address)) != 0; }

Expansion AliasTable::expand(const std::string& address) const {
    Expansion out;
    std::vector<std::string> path;
    walk(address, path, out);
    return out;
}

void AliasTable::walk(const std::string& address, std::vector<std::string>& path, Expansion& out) const {
    if (out.loop) return;
    const std::string key = alias_key(address);
    auto it = table_.find(key);
    if (it == table_.end()) {
        if (std::find(out.recipients.begin(), out.recipients.end(), address) == out.recipients.end()) {
            out.recipients.push_back(address);
        }
        return;
    }
    if (std::find(path.begin(), path.end(), key) != path.end() || static_cast<int>(path.size()) >= kMaxAliasDepth) {
        out.loop = true;
        out.loop_path = path;
        out.loop_path.push_back(key);
        return;
    }
    path.push_back(key);
    for (const auto& t : it->second) walk(t, path, out);
    path.pop_back();
}

}  // namespace postino::agents
