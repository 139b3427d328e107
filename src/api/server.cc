#include "api/server.h"

#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <list>
#include <mutex>
#include <thread>

namespace redshield::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::experimental::as_tuple(asio::use_awaitable);

// Connections known to the server, so that a stop can close the idle ones.
struct Connection {
  beast::tcp_stream* stream;
  std::atomic<bool> busy{false};
};

struct ServerState {
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::list<Connection*> connections;  // GUARDED_BY(mu)
};

HttpRequest Convert(const http::request<http::string_body>& req, const std::string& client) {
  HttpRequest out;
  out.method = std::string(req.method_string());
  std::string_view target = req.target();
  size_t q = target.find('?');
  out.path = PercentDecode(target.substr(0, q));
  if (q != std::string_view::npos) out.query = ParseQueryString(target.substr(q + 1));
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.body = req.body();
  out.client_addr = client;
  return out;
}

http::response<http::string_body> ToBeast(HttpResponse&& response, unsigned version,
                                          bool keep_alive, bool head) {
  http::response<http::string_body> res{static_cast<http::status>(response.status), version};
  res.set(http::field::server, "redshield");
  if (!response.content_type.empty()) res.set(http::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers) res.insert(name, value);
  res.keep_alive(keep_alive);
  if (!head) res.body() = std::move(response.body);
  res.prepare_payload();
  return res;
}

HttpResponse TooLarge(size_t limit) {
  HttpResponse r;
  r.status = 413;
  r.body = R"({"error":{"code":"payload_too_large","message":"请求体超过上限 )" +
           std::to_string(limit / 1024) + R"( KiB","request_id":""}})";
  return r;
}

HttpResponse BadRequest() {
  HttpResponse r;
  r.status = 400;
  r.body = R"({"error":{"code":"invalid_argument","message":"HTTP 请求格式错误","request_id":""}})";
  return r;
}

asio::awaitable<void> Serve(tcp::socket socket, const ServerOptions& options,
                            const RequestHandler& handler, ServerState& state) {
  beast::tcp_stream stream(std::move(socket));
  Connection conn{&stream};
  {
    std::lock_guard lock(state.mu);
    state.connections.push_back(&conn);
  }
  std::string client;
  boost::system::error_code addr_ec;
  auto endpoint = stream.socket().remote_endpoint(addr_ec);
  if (!addr_ec) client = endpoint.address().to_string();
  beast::flat_buffer buffer;
  while (!state.stopping) {
    stream.expires_after(std::chrono::seconds(options.idle_timeout_seconds));
    http::request_parser<http::string_body> parser;
    parser.body_limit(options.body_limit);
    parser.header_limit(16 * 1024);
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple);
    if (ec) {
      if (ec == http::error::body_limit || ec == http::error::header_limit) {
        auto res = ToBeast(TooLarge(options.body_limit), 11, false, false);
        co_await http::async_write(stream, res, kTuple);
      } else if (ec != http::error::end_of_stream && ec != asio::error::operation_aborted &&
                 ec != beast::error::timeout && ec != asio::error::connection_reset &&
                 ec != asio::error::eof && n > 0) {
        auto res = ToBeast(BadRequest(), 11, false, false);
        co_await http::async_write(stream, res, kTuple);
      }
      break;
    }
    conn.busy = true;
    auto& req = parser.get();
    HttpRequest request = Convert(req, client);
    bool keep_alive = req.keep_alive() && !state.stopping;
    auto res = ToBeast(handler(request), req.version(), keep_alive, req.method() == http::verb::head);
    auto [write_ec, written] = co_await http::async_write(stream, res, kTuple);
    conn.busy = false;
    if (write_ec || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  std::lock_guard lock(state.mu);
  state.connections.remove(&conn);
}

asio::awaitable<void> Accept(tcp::acceptor& acceptor, const ServerOptions& options,
                             const RequestHandler& handler, ServerState& state) {
  while (!state.stopping) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      continue;  // e.g. too many open files: keep serving the others
    }
    socket.set_option(tcp::no_delay(true));
    auto executor = asio::make_strand(acceptor.get_executor());
    asio::co_spawn(executor, Serve(std::move(socket), options, handler, state), asio::detached);
  }
}

void BeginStop(asio::io_context& ioc, tcp::acceptor& acceptor, ServerState& state, int grace) {
  spdlog::info("stopping: finishing requests in flight (up to {} s)", grace);
  state.stopping = true;
  boost::system::error_code ignored;
  acceptor.close(ignored);
  std::thread([&ioc, &state, grace] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(grace);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(state.mu);
        for (Connection* c : state.connections) {
          // Idle keep-alive connections are waiting for a request that will not come.
          if (!c->busy) {
            asio::post(c->stream->get_executor(), [s = c->stream] { s->cancel(); });
          }
        }
        if (state.connections.empty()) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ioc.stop();
  }).detach();
}

}  // namespace

Status RunServer(const ServerOptions& options, const RequestHandler& handler) {
  asio::io_context ioc(options.threads);
  tcp::acceptor acceptor(ioc);
  try {
    tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
  } catch (const std::exception& e) {
    spdlog::error("cannot listen on {}:{}: {}", options.host, options.port, e.what());
    return Fail(ErrorCode::kUnavailable,
                "无法监听 " + options.host + ":" + std::to_string(options.port) + "（端口被占用或地址无效）",
                "listen");
  }
  ServerState state;
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) BeginStop(ioc, acceptor, state, options.shutdown_grace_seconds);
  });
  asio::co_spawn(ioc, Accept(acceptor, options, handler, state), asio::detached);
  if (options.on_listening) {
    options.on_listening("http://" + options.host + ":" + std::to_string(acceptor.local_endpoint().port()));
  }
  std::vector<std::thread> threads;
  for (int i = 1; i < options.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (std::thread& t : threads) t.join();
  spdlog::info("stopped");
  return Ok();
}

}  // namespace redshield::api
