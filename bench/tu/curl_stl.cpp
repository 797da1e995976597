// Benchmark TU: a handler on the standard library and libcurl (small, typical).
#include <aws/lambda-runtime/runtime.h>
#include <curl/curl.h>

#include <algorithm>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace aws::lambda_runtime;

static size_t collect(char *data, size_t size, size_t n, void *out) {
  static_cast<std::string *>(out)->append(data, size * n);
  return size * n;
}

static std::string fetch(CURL *curl, std::string const &url) {
  std::string body;
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_perform(curl);
  return body;
}

int main() {
  CURL *curl = curl_easy_init();
  run_handler([curl](invocation_request const &req) {
    std::map<std::string, int> counts;
    std::istringstream words(fetch(curl, "https://example.com/" + req.payload));
    for (std::string w; words >> w;) ++counts[w];
    std::vector<std::pair<std::string, int>> top(counts.begin(), counts.end());
    std::sort(top.begin(), top.end(), [](auto &a, auto &b) { return a.second > b.second; });
    std::ostringstream out;
    for (auto &[w, n] : top) out << w << ' ' << n << '\n';
    return invocation_response::success(out.str(), "text/plain");
  });
  curl_easy_cleanup(curl);
}
