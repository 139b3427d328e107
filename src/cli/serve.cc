#include "cli/commands.h"

namespace redshield::cli {

void AddServeCommand(CLI::App& app, Runtime& runtime, int& exit_code) {
  auto config = std::make_shared<ServeConfig>();
  config->db = DefaultDb();
  CLI::App* cmd = app.add_subcommand("serve", "启动 HTTP 服务（接口与网页界面）");
  cmd->add_option("--db", config->db, "数据库：sqlite:PATH 或 postgresql://…（默认 $REDSHIELD_DB 或 sqlite:./redshield.db）");
  cmd->add_option("--listen", config->listen, "监听地址 HOST:PORT")->capture_default_str();
  cmd->add_option("--web-root", config->web_root, "网页界面目录（web/dist）");
  cmd->add_option("--key-file", config->key_file, "个人信息加密密钥文件（默认数据库旁的 .key）");
  cmd->add_option("--threads", config->threads, "工作线程数")->capture_default_str()->check(CLI::Range(1, 256));
  cmd->add_option("--access-log", config->access_log, "每个请求输出一行 JSON 访问日志")->capture_default_str();
  cmd->add_option("--session-idle-seconds", config->idle_timeout_seconds, "会话空闲超时（秒）")
      ->capture_default_str()->check(CLI::Range(1, 24 * 3600));
  cmd->add_option("--session-max-seconds", config->absolute_timeout_seconds, "会话最长时限（秒）")
      ->capture_default_str()->check(CLI::Range(1, 7 * 24 * 3600));
  cmd->add_option("--public-rate", config->public_rate, "公开接口每个客户端地址每秒请求数")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--public-burst", config->public_burst, "公开接口突发请求数")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--body-limit", config->body_limit, "请求体上限（字节）")->capture_default_str();
  cmd->add_option("--upload-limit", config->upload_limit, "上传的电商数据文件上限（字节）")
      ->capture_default_str();
  cmd->add_option("--spool-dir", config->spool_dir, "上传文件暂存目录（默认系统临时目录）");
  cmd->add_option("--screening-rules", config->screening_rules,
                  "筛查规则目录（brands.csv、lexicon.csv、sellers_blacklist.csv；默认内置规则）");
  cmd->add_option("--trace-base-url", config->trace_base_url,
                  "追溯码标签二维码指向的公开网址前缀（<前缀>/v/<码>；默认 http://<listen>）");
  cmd->add_flag("--secure-cookie", config->secure_cookie,
                "会话 Cookie 加 Secure 属性（经 HTTPS 反向代理提供服务时使用）");
  cmd->callback([config, &runtime, &exit_code] {
    if (config->key_file.empty()) config->key_file = DefaultKeyFile(config->db);
    exit_code = runtime.Serve(*config);
  });
}

}  // namespace redshield::cli
