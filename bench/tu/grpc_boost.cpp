// Benchmark TU: a handler on gRPC and Boost (header-heavy).
#include <aws/lambda-runtime/runtime.h>
#include <boost/algorithm/string.hpp>
#include <boost/asio.hpp>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

using namespace aws::lambda_runtime;

int main() {
  auto channel = grpc::CreateChannel("inventory.internal:443", grpc::SslCredentials(grpc::SslCredentialsOptions()));
  run_handler([&](invocation_request const &req) {
    std::vector<std::string> parts;
    boost::split(parts, req.payload, boost::is_any_of(","));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
    auto state = channel->GetState(true);
    return invocation_response::success(std::to_string(parts.size()) + " " + std::to_string(int(state)), "text/plain");
  });
}
