#include "api/server.h"

#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <list>
#include <mutex>
#include <thread>

#include "core/crypto.h"

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
  asio::any_io_executor executor;  // the io_context the connection lives on
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

// Errors found while reading a request, before the API sees it: same contract
// as the API's errors (request id in the body and in X-Request-Id, headers).
HttpResponse ProtocolError(int status, const std::string& code, const std::string& message) {
  std::string request_id = RandomToken(12);  // URL-safe base64: nothing to escape
  HttpResponse r;
  r.status = status;
  r.body = R"({"error":{"code":")" + code + R"(","message":")" + message + R"(","request_id":")" +
           request_id + R"("}})";
  r.AddHeader("X-Request-Id", request_id);
  r.AddHeader("X-Content-Type-Options", "nosniff");
  r.AddHeader("Cache-Control", "no-store");
  return r;
}

HttpResponse TooLarge(size_t limit) {
  return ProtocolError(413, "payload_too_large",
                       "请求体超过上限 " + std::to_string(limit / 1024) + " KiB");
}

HttpResponse BadRequest() { return ProtocolError(400, "invalid_argument", "HTTP 请求格式错误"); }

asio::awaitable<void> Serve(tcp::socket socket, const ServerOptions& options,
                            const RequestHandler& handler, ServerState& state) {
  beast::tcp_stream stream(std::move(socket));
  Connection conn{&stream, co_await asio::this_coro::executor};
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
    // The connection counts as busy from the end of the headers, so that a stop
    // lets a request whose body is still arriving finish.
    auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, kTuple);
    if (!ec) {
      conn.busy = true;
      auto [body_ec, body_n] = co_await http::async_read(stream, buffer, parser, kTuple);
      ec = body_ec;
      n += body_n;
    }
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

// One io_context per thread, each run by one thread: a connection lives on
// one context for its whole life, so its coroutine, its socket and the
// stream's timer never run on two threads at once, and no strand is needed.
// (With a shared pool and strands, Boost 1.81 freed the strand executor of a
// Beast stream still referenced by its timeout handler; ASan caught it.)
class ContextPool {
 public:
  explicit ContextPool(int n) {
    for (int i = 0; i < n; ++i) {
      contexts_.push_back(std::make_unique<asio::io_context>(1));
      guards_.emplace_back(contexts_.back()->get_executor());
    }
  }
  asio::io_context& first() { return *contexts_.front(); }
  asio::io_context& Next() { return *contexts_[next_++ % contexts_.size()]; }
  void Run() {
    std::vector<std::thread> threads;
    for (size_t i = 1; i < contexts_.size(); ++i) threads.emplace_back([this, i] { contexts_[i]->run(); });
    contexts_.front()->run();
    for (std::thread& t : threads) t.join();
  }
  void Stop() {
    for (auto& guard : guards_) guard.reset();
    for (auto& ctx : contexts_) ctx->stop();
  }

 private:
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  size_t next_ = 0;  // used by the accept loop only
};

asio::awaitable<void> Accept(tcp::acceptor& acceptor, ContextPool& pool,
                             const ServerOptions& options, const RequestHandler& handler,
                             ServerState& state) {
  while (!state.stopping) {
    asio::io_context& ctx = pool.Next();
    auto [ec, socket] = co_await acceptor.async_accept(ctx, kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      continue;  // e.g. too many open files: keep serving the others
    }
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(ctx, Serve(std::move(socket), options, handler, state), asio::detached);
  }
}

// Returns the thread that closes idle connections and stops the pool once
// every connection is done or the grace period is over. RunServer joins it.
std::thread BeginStop(ContextPool& pool, tcp::acceptor& acceptor, ServerState& state, int grace) {
  spdlog::info("stopping: finishing requests in flight (up to {} s)", grace);
  state.stopping = true;
  boost::system::error_code ignored;
  acceptor.close(ignored);
  return std::thread([&pool, &state, grace] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(grace);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(state.mu);
        if (state.connections.empty()) break;
        for (Connection* c : state.connections) {
          // Idle keep-alive connections wait for a request that will not come.
          // Cancel on the connection's own thread, and only if it still exists
          // and is still idle when that runs.
          if (c->busy) continue;
          asio::post(c->executor, [&state, c] {
            std::lock_guard inner(state.mu);
            bool alive = std::find(state.connections.begin(), state.connections.end(), c) !=
                         state.connections.end();
            if (alive && !c->busy) c->stream->cancel();
          });
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pool.Stop();
  });
}

}  // namespace

Status RunServer(const ServerOptions& options, const RequestHandler& handler) {
  ContextPool pool(std::max(1, options.threads));
  tcp::acceptor acceptor(pool.first());
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
  std::thread stopper;  // started by the signal handler, joined below
  asio::signal_set signals(pool.first(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) stopper = BeginStop(pool, acceptor, state, options.shutdown_grace_seconds);
  });
  asio::co_spawn(pool.first(), Accept(acceptor, pool, options, handler, state), asio::detached);
  if (options.on_listening) {
    options.on_listening("http://" + options.host + ":" + std::to_string(acceptor.local_endpoint().port()));
  }
  pool.Run();
  // The contexts stop when the stopper says so; `pool` and `state` must outlive it.
  if (stopper.joinable()) stopper.join();
  spdlog::info("stopped");
  return Ok();
}

}  // namespace redshield::api
