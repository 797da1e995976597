// Benchmark TU: a handler on Boost.Beast and nlohmann/json (header-heavy).
#include <aws/lambda-runtime/runtime.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace aws::lambda_runtime;

static std::string fetch(net::io_context &ioc, std::string const &host, std::string const &target) {
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  stream.connect(resolver.resolve(host, "80"));
  http::request<http::string_body> req{http::verb::get, target, 11};
  req.set(http::field::host, host);
  req.set(http::field::user_agent, BOOST_BEAST_VERSION_STRING);
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::dynamic_body> res;
  http::read(stream, buffer, res);
  return beast::buffers_to_string(res.body().data());
}

int main() {
  net::io_context ioc;
  run_handler([&](invocation_request const &req) {
    nlohmann::json in = nlohmann::json::parse(req.payload);
    nlohmann::json price = nlohmann::json::parse(fetch(ioc, "prices.internal", "/v1/" + in["sku"].get<std::string>()));
    nlohmann::json out = {{"sku", in["sku"]}, {"price", price["amount"]}, {"currency", price.value("currency", "EUR")}};
    return invocation_response::success(out.dump(), "application/json");
  });
}
