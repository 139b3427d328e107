#include "api/server.h"

#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <atomic>
#include <list>
#include <mutex>
#include <thread>

#include "core/crypto.h"
#include "core/thread_name.h"

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
  // Runs the handlers of spooled uploads, which may take long (a million
  // EPCIS events: tens of seconds), so that the other connections of their
  // io thread (public verification, logins) are not held up meanwhile.
  // Destroyed first: joins an upload still running at the stop.
  asio::thread_pool uploads{2};
};

// The request line and headers; the body is filled in by the caller.
template <class Body>
HttpRequest ConvertHead(const http::request<Body>& req, const std::string& client) {
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
  out.client_addr = client;
  return out;
}

// Appends "name: value\r\n", with any CR or LF in either dropped (a header
// made from user data, such as a file name, cannot start another one).
void AppendField(std::string& out, std::string_view name, std::string_view value) {
  auto append = [&out](std::string_view text) {
    auto line_break = [](char c) { return c == '\r' || c == '\n'; };
    for (auto begin = text.begin(); begin != text.end();) {
      auto end = std::find_if(begin, text.end(), line_break);
      out.append(begin, end);  // the run between line breaks at once
      begin = end == text.end() ? end : end + 1;
    }
  };
  append(name);
  out += ": ";
  append(value);
  out += "\r\n";
}

// Whether a response with `status` has no body (nor Content-Length).
bool Bodiless(int status) { return status < 200 || status == 204 || status == 304; }

// The status line and headers of `response` as bytes on the wire; the body
// follows in the same write (Beast's serializer walked a buffer sequence of
// every field: 5% of the io threads' time on public verification). A HEAD
// response has the headers of the GET, Content-Length included.
std::string Head(const HttpResponse& response, unsigned version, bool keep_alive) {
  const int status = response.status;
  const bool bodiless = Bodiless(status);
  std::string out;
  out.reserve(256);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += http::obsolete_reason(static_cast<http::status>(status));
  out += "\r\nServer: redshield\r\n";
  if (!response.content_type.empty() && !bodiless) AppendField(out, "Content-Type", response.content_type);
  for (const auto& [name, value] : response.headers) AppendField(out, name, value);
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) out += "Connection: close\r\n";
  if (!bodiless) AppendField(out, "Content-Length", std::to_string(response.body.size()));
  out += "\r\n";
  return out;
}

// Writes `response` (without its body `head_only`).
asio::awaitable<std::tuple<boost::system::error_code, size_t>> WriteResponse(
    beast::tcp_stream& stream, const HttpResponse& response, unsigned version, bool keep_alive, bool head_only) {
  const std::string head = Head(response, version, keep_alive);
  const bool body = !head_only && !Bodiless(response.status) && !response.body.empty();
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head),
                                                  body ? asio::buffer(response.body) : asio::const_buffer()};
  co_return co_await asio::async_write(stream, buffers, kTuple);
}

// Errors found while reading a request, before the API sees it: same contract
// as the API's errors (request id in the body and in X-Request-Id, headers).
HttpResponse ProtocolError(int status, const std::string& code, const std::string& message) {
  std::string request_id = RequestId();  // URL-safe base64: nothing to escape
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

bool IsQuietError(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
         ec == beast::error::timeout || ec == asio::error::connection_reset ||
         ec == asio::error::eof;
}

// The response to a failed read: 413 over a limit, 400 for a malformed
// request, nothing when the peer went away.
std::optional<HttpResponse> ReadErrorResponse(const boost::system::error_code& ec, size_t limit,
                                              size_t bytes_read) {
  if (ec == http::error::body_limit || ec == http::error::header_limit) return TooLarge(limit);
  if (!IsQuietError(ec) && bytes_read > 0) return BadRequest();
  return std::nullopt;
}

// What reading one request's body gave: the handler's input, or the error
// response to send before closing.
struct BodyOutcome {
  std::optional<HttpResponse> error;  // set: answer this and close
  bool closed = false;                // the peer went away: close without answering
};

// Clients that ask before sending a body (curl does for large ones) get a
// go-ahead only once the headers have been accepted.
asio::awaitable<void> MaybeContinue(beast::tcp_stream& stream, const HttpRequest& request) {
  std::string expect = request.Header("expect");
  for (char& c : expect) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (expect != "100-continue") co_return;
  http::response<http::empty_body> go_ahead{http::status::continue_, 11};
  co_await http::async_write(stream, go_ahead, kTuple);
}

// Beast reads a body into the connection's buffer as far as the buffer's
// spare capacity allows (at least 512 bytes, at most 64 KiB a read): in a
// buffer sized for headers, a 400 MB upload took 750,000 reads and as many
// writes to its spool file (7 s of an io thread here). A body of more than
// 512 bytes gets up to 64 KiB of room; the room goes with the body (see
// ReleaseBodyRoom), so idle connections stay small.
void ReserveBodyRoom(beast::flat_buffer& buffer, boost::optional<uint64_t> length) {
  constexpr uint64_t kRoom = 64 * 1024;
  const uint64_t wanted = length ? std::min(*length, kRoom) : kRoom;
  if (wanted > 512) buffer.reserve(static_cast<size_t>(wanted));
}
void ReleaseBodyRoom(beast::flat_buffer& buffer) {
  if (buffer.capacity() > 16 * 1024) buffer.shrink_to_fit();
}

asio::awaitable<BodyOutcome> ReadBuffered(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                          http::request_parser<http::empty_body>& head,
                                          size_t limit, HttpRequest& request) {
  BodyOutcome out;
  if (head.is_done()) co_return out;  // no body (a GET): no read to wait for
  const auto length = head.content_length();
  if (length && *length > limit) {
    out.error = TooLarge(limit);
    co_return out;
  }
  http::request_parser<http::string_body> parser(std::move(head));
  parser.body_limit(limit);
  co_await MaybeContinue(stream, request);
  ReserveBodyRoom(buffer, length);
  auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple);
  ReleaseBodyRoom(buffer);
  if (ec) {
    out.error = ReadErrorResponse(ec, limit, n + 1);
    out.closed = !out.error.has_value();
    co_return out;
  }
  request.body = std::move(parser.get().body());
  co_return out;
}

// Streams the body into a new file in `spool_dir`, refreshing the idle
// timeout as data arrives (a large upload takes longer than one timeout).
asio::awaitable<BodyOutcome> ReadSpooled(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                         http::request_parser<http::empty_body>& head,
                                         const ServerOptions& options, uint64_t limit,
                                         HttpRequest& request) {
  BodyOutcome out;
  const auto length = head.content_length();
  if (length && *length > limit) {
    out.error = TooLarge(limit);
    co_return out;
  }
  http::request_parser<http::file_body> parser(std::move(head));
  parser.body_limit(limit);
  const std::string path = options.spool_dir + "/redshield-upload-" + RandomToken(12);
  boost::system::error_code open_ec;
  parser.get().body().open(path.c_str(), beast::file_mode::write_new, open_ec);
  if (open_ec) {
    spdlog::error("cannot create spool file in {}: {}", options.spool_dir, open_ec.message());
    out.error = ProtocolError(503, "unavailable", "服务器暂时无法接收上传，请稍后重试");
    co_return out;
  }
  request.body_file = path;  // from here on the caller removes it
  co_await MaybeContinue(stream, request);
  ReserveBodyRoom(buffer, length);
  uint64_t received = 0;
  while (!parser.is_done()) {
    stream.expires_after(std::chrono::seconds(options.idle_timeout_seconds));
    auto [ec, n] = co_await http::async_read_some(stream, buffer, parser, kTuple);
    received += n;
    if (ec) {
      out.error = ReadErrorResponse(ec, static_cast<size_t>(limit), received + 1);
      out.closed = !out.error.has_value();
      break;
    }
  }
  ReleaseBodyRoom(buffer);
  parser.get().body().file().close(open_ec);
  request.body_bytes = received;
  if (!out.error && !out.closed) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) request.body_bytes = static_cast<uint64_t>(info.st_size);
  }
  co_return out;
}

// Reads one request after its headers, runs it and returns the response
// (nullopt: the peer went away). `keep_alive` is cleared when the
// connection must close (a refused or unreadable body).
asio::awaitable<std::optional<HttpResponse>> HandleRequest(
    beast::tcp_stream& stream, beast::flat_buffer& buffer,
    http::request_parser<http::empty_body>& head, HttpRequest& request,
    const ServerOptions& options, const RequestHandler& handler, const BodyPlanner& planner,
    asio::thread_pool& uploads, bool& keep_alive) {
  BodyPlan plan = planner ? planner(request) : BodyPlan{};
  if (plan.kind == BodyPlan::Kind::kReject) {
    keep_alive = false;  // the body, if any, was not read
    co_return std::move(plan.rejection);
  }
  // Two statements, not a conditional expression: with co_await in the arms
  // of ?: the g++ 12 build crashed (SIGSEGV writing the response).
  BodyOutcome body;
  if (plan.kind == BodyPlan::Kind::kSpool) {
    body = co_await ReadSpooled(stream, buffer, head, options, plan.limit, request);
  } else {
    body = co_await ReadBuffered(stream, buffer, head, options.body_limit, request);
  }
  std::optional<HttpResponse> response;
  if (body.error) {
    keep_alive = false;
    response = std::move(body.error);
  } else if (!body.closed && plan.kind == BodyPlan::Kind::kSpool) {
    // The completion's executor decides where the coroutine resumes.
    auto home = co_await asio::this_coro::executor;
    co_await asio::post(asio::bind_executor(uploads, asio::use_awaitable));
    NameThisThread("rs-upload");  // the pool's threads, as they take an upload
    response = handler(request);
    co_await asio::post(asio::bind_executor(home, asio::use_awaitable));
  } else if (!body.closed) {
    response = handler(request);
  }
  if (!request.body_file.empty()) std::remove(request.body_file.c_str());  // unless moved
  co_return response;
}

// After refusing a request whose body was not read, reads and discards what
// the client still sends (up to 8 MiB or 2 s): closing with unread data makes
// the kernel reset the connection, and the client would lose the response.
asio::awaitable<void> Drain(beast::tcp_stream& stream) {
  std::array<char, 64 * 1024> sink;
  size_t total = 0;
  stream.expires_after(std::chrono::seconds(2));
  while (total < (8u << 20)) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
    if (ec) break;
    total += n;
  }
}

asio::awaitable<void> Serve(tcp::socket socket, const ServerOptions& options,
                            const RequestHandler& handler, const BodyPlanner& planner,
                            ServerState& state) {
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
  bool drain = false;  // a body was refused unread: let the client see the response
  while (!state.stopping) {
    stream.expires_after(std::chrono::seconds(options.idle_timeout_seconds));
    // Headers first, with no body limit yet: the route decides the limit.
    http::request_parser<http::empty_body> head;
    head.body_limit(boost::none);
    head.header_limit(16 * 1024);
    auto [ec, n] = co_await http::async_read_header(stream, buffer, head, kTuple);
    if (ec) {
      if (std::optional<HttpResponse> error = ReadErrorResponse(ec, options.body_limit, n)) {
        co_await WriteResponse(stream, *error, 11, false, false);
      }
      break;
    }
    // The connection counts as busy from the end of the headers, so that a stop
    // lets a request whose body is still arriving finish.
    conn.busy = true;
    const unsigned version = head.get().version();
    const bool head_method = head.get().method() == http::verb::head;
    bool keep_alive = head.get().keep_alive() && !state.stopping;
    HttpRequest request = ConvertHead(head.get(), client);
    std::optional<HttpResponse> response = co_await HandleRequest(
        stream, buffer, head, request, options, handler, planner, state.uploads, keep_alive);
    if (!response) break;
    const bool refused = response->status >= 400 && !keep_alive;
    auto [write_ec, written] = co_await WriteResponse(stream, *response, version, keep_alive, head_method);
    conn.busy = false;
    if (!write_ec && refused) drain = true;
    if (write_ec || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (drain) co_await Drain(stream);
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
    for (size_t i = 1; i < contexts_.size(); ++i) {
      threads.emplace_back([this, i] {
        NameThisThread("rs-io-" + std::to_string(i));
        contexts_[i]->run();
      });
    }
    contexts_.front()->run();  // io thread 0 keeps the process's name (ps, pgrep)
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
                             const BodyPlanner& planner, ServerState& state) {
  while (!state.stopping) {
    asio::io_context& ctx = pool.Next();
    auto [ec, socket] = co_await acceptor.async_accept(ctx, kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      continue;  // e.g. too many open files: keep serving the others
    }
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(ctx, Serve(std::move(socket), options, handler, planner, state), asio::detached);
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

Status RunServer(const ServerOptions& options, const RequestHandler& handler,
                 const BodyPlanner& planner) {
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
  asio::co_spawn(pool.first(), Accept(acceptor, pool, options, handler, planner, state),
                 asio::detached);
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
