#pragma once

#include <stdexcept>
#include <string>

namespace kube {

// The API server answered with an error Status (4xx/5xx), or the client gave up.
class ApiError : public std::runtime_error {
 public:
  ApiError(int code, std::string reason, const std::string& message)
      : std::runtime_error(message), code_(code), reason_(std::move(reason)) {}

  int code() const { return code_; }                     // HTTP status; 0 for a transport failure
  const std::string& reason() const { return reason_; }  // Status.reason, e.g. NotFound

  bool isNotFound() const { return code_ == 404; }
  bool isAlreadyExists() const { return code_ == 409 && reason_ == "AlreadyExists"; }
  bool isConflict() const { return code_ == 409 && reason_ != "AlreadyExists"; }
  bool isGone() const { return code_ == 410; }
  bool isUnauthorized() const { return code_ == 401; }
  bool isForbidden() const { return code_ == 403; }

 private:
  int code_;
  std::string reason_;
};

// The configuration (kubeconfig, in-cluster files) is missing or malformed.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace kube
