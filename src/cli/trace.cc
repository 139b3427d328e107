// `redshield trace`: traceability of agricultural inputs (issue 7).
//   trace check CODE…      decodes trace codes, GS1 keys, registration and
//                          approval numbers; exit 0 only if all are valid.
//   trace capture FILE…    validates EPCIS 2.0 JSON / JSON-LD documents and
//                          stores their events, each file in its own
//                          transaction: "FILE accepted (N events)" or
//                          "FILE rejected: REASON"; exit 0 only if all were
//                          accepted. A progress bar on a terminal: checking,
//                          events read, then writing to the database.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/progress.h"
#include "core/json_text.h"
#include "ingest/epcis_reader.h"
#include "trace/codes.h"

namespace redshield::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> codes;
  std::string kind = "auto";
  bool as_json = false;
};

int RunCheck(const CheckOptions& options) {
  trace::CodeKind kind{};
  const bool forced = options.kind != "auto";
  if (forced && !trace::CodeKindFromName(options.kind, kind)) {
    return ReportError(Error{ErrorCode::kInvalidArgument, "未知的码制：" + options.kind, "--kind"});
  }
  int invalid = 0;
  for (const std::string& code : options.codes) {
    Result<trace::DecodedCode> decoded = forced ? trace::ParseCodeAs(code, kind) : trace::ParseAnyCode(code);
    invalid += !decoded;
    if (options.as_json) {
      std::string line = "{\"value\":" + JsonQuote(code) + ",\"valid\":" + (decoded ? "true" : "false");
      if (!decoded) {
        line += ",\"reason\":" + JsonQuote(decoded.error().message);
      } else {
        line += ",\"kind\":" + JsonQuote(trace::CodeKindName(decoded->kind)) +
                ",\"key\":" + JsonQuote(decoded->key);
        for (const auto& [name, part] : decoded->fields) line += "," + JsonQuote(name) + ":" + JsonQuote(part);
      }
      std::cout << line << "}\n";
    } else if (!decoded) {
      std::cout << code << " invalid: " << decoded.error().message << "\n";
    } else {
      std::cout << code << " valid " << trace::CodeKindName(decoded->kind);
      for (const auto& [name, part] : decoded->fields) std::cout << " " << name << "=" << part;
      std::cout << "\n";
    }
  }
  return invalid == 0 ? 0 : 1;
}

struct CaptureOptions {
  std::vector<std::string> files;
  std::string db;
};

int RunCapture(Runtime& runtime, const CaptureOptions& options) {
  if (options.db.starts_with("sqlite:") && options.db != "sqlite::memory:" &&
      !std::filesystem::exists(options.db.substr(7))) {
    return ReportError(Error{ErrorCode::kNotFound, "数据库不存在，请先运行 redshield init", "--db"});
  }
  Result<ModuleServices*> services = runtime.Open(options.db, DefaultKeyFile(options.db));
  if (!services) return ReportError(services.error());
  int rejected = 0;
  for (const std::string& file : options.files) {
    // Read one event at a time inside the capture's transaction: memory does
    // not grow with the document (issue 7 §7).
    const ingest::EpcisSource source{"", file};
    const std::string name = std::filesystem::path(file).filename().string();
    ProgressBar bar;
    auto events = [&](const trace::EventSink& sink) -> Status {
      size_t total = 0, read = 0;
      bar.Draw(0, name + "：检查文档");
      auto counted = [&](trace::EpcisEvent& event) -> Status {
        if (++read % 1024 == 0 && bar.enabled()) {
          bar.Draw(static_cast<double>(read) / static_cast<double>(total),
                   name + "：已读取 " + std::to_string(read) + " / " + std::to_string(total) + " 个事件");
        }
        return sink(event);
      };
      Result<size_t> done = ingest::ReadEpcisEvents(source, counted, [&total](size_t n) { total = n; });
      if (!done) {
        bar.Clear();
        return tl::unexpected(done.error());
      }
      bar.Draw(1, name + "：已读取 " + std::to_string(*done) + " 个事件，正在写入数据库", true);
      return Ok();
    };
    Result<trace::CaptureResult> captured = (*services)->trace.Capture(events, name, SystemActor());
    if (!captured) {
      ++rejected;
      std::cout << file << " rejected: " << captured.error().message << "\n";
      continue;
    }
    std::cout << file << " accepted (" << captured->events << " events";
    if (captured->duplicates > 0) std::cout << ", " << captured->duplicates << " already stored";
    if (captured->notified > 0) std::cout << ", " << captured->notified << " recall notices sent";
    std::cout << ")\n";
  }
  return rejected == 0 ? 0 : 1;
}

}  // namespace

void AddTraceCommand(CLI::App& app, Runtime& runtime, int& exit_code) {
  CLI::App* trace = app.add_subcommand("trace", "农资追溯：校验追溯码、导入 EPCIS 事件");
  trace->require_subcommand(1);
  auto check = std::make_shared<CheckOptions>();
  CLI::App* cmd = trace->add_subcommand(
      "check",
      "解析并校验追溯码：农药 32 位单元识别代码及标签网址、兽药 24 位追溯码及二维码内容、种子单元识别代码、"
      "GS1 标识（EPC URN、gs1: CURIE、Digital Link）、农药登记证号、兽药批准文号；全部有效时退出码为 0");
  cmd->add_option("CODE", check->codes, "要校验的码（可多个）")->required();
  cmd->add_option("--kind", check->kind,
                  "码制（默认 auto 按形状识别）：pesticide、pesticide_label、vet、vet_qr、seed、seed_qr、"
                  "sgtin、sscc、gln、lgtin、gtin、gs1、pesticide_registration、vet_approval");
  cmd->add_flag("--json", check->as_json, "每个码输出一行 JSON");
  cmd->callback([check, &exit_code] { exit_code = RunCheck(*check); });

  auto capture = std::make_shared<CaptureOptions>();
  capture->db = DefaultDb();
  CLI::App* capture_cmd = trace->add_subcommand(
      "capture",
      "校验 EPCIS 2.0 JSON/JSON-LD 文档（GS1 JSON Schema 与 CBV 词汇）并保存其事件；每个文件输出一行"
      "“FILE accepted (N events)”或“FILE rejected: 原因”；全部接受时退出码为 0");
  capture_cmd->add_option("FILE", capture->files, "EPCIS 文档（可多个）")->required();
  capture_cmd->add_option("--db", capture->db, "数据库 URL")->capture_default_str();
  capture_cmd->callback([capture, &runtime, &exit_code] { exit_code = RunCapture(runtime, *capture); });
}

}  // namespace redshield::cli
