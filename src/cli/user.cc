#include <iostream>

#include "cli/commands.h"

namespace redshield::cli {
namespace {

struct UserArgs {
  std::string db = DefaultDb();
  std::string username;
  std::string display_name;
  std::vector<std::string> roles;
  std::string org = "NMG-SDB";
  bool password_stdin = false;
  bool temporary = false;
};

Result<std::string> ReadPassword(bool from_stdin) {
  if (!from_stdin) {
    return Fail(ErrorCode::kInvalidArgument, "请用 --password-stdin 从标准输入提供密码", "--password-stdin");
  }
  std::string password = ReadStdinLine();
  if (password.empty()) return Fail(ErrorCode::kInvalidArgument, "标准输入中没有密码", "password");
  return password;
}

int AddUser(Runtime& runtime, const UserArgs& a) {
  Result<std::string> password = ReadPassword(a.password_stdin);
  if (!password) return ReportError(password.error());
  Result<ModuleServices*> services = runtime.Open(a.db, DefaultKeyFile(a.db));
  if (!services) return ReportError(services.error());
  Result<platform::User> user =
      (*services)->setup.AddUser(a.username, a.display_name, a.roles, a.org, *password, a.temporary);
  if (!user) return ReportError(user.error());
  std::cout << "已创建用户 " << user->username << "（" << user->org_name << "）\n";
  return 0;
}

int ChangePassword(Runtime& runtime, const UserArgs& a) {
  Result<std::string> password = ReadPassword(a.password_stdin);
  if (!password) return ReportError(password.error());
  Result<ModuleServices*> services = runtime.Open(a.db, DefaultKeyFile(a.db));
  if (!services) return ReportError(services.error());
  Status done = (*services)->setup.SetPassword(a.username, *password, a.temporary);
  if (!done) return ReportError(done.error());
  std::cout << "已设置用户 " << a.username << " 的密码并解除锁定\n";
  return 0;
}

}  // namespace

void AddUserCommand(CLI::App& app, Runtime& runtime, int& exit_code) {
  auto args = std::make_shared<UserArgs>();
  CLI::App* cmd = app.add_subcommand("user", "在服务器上管理用户账号");
  cmd->require_subcommand(1);
  CLI::App* add = cmd->add_subcommand("add", "新增用户（密码从标准输入读取）");
  add->add_option("USERNAME", args->username, "用户名")->required();
  add->add_option("--role", args->roles, "角色，可重复：sysadmin secadmin auditadmin office officer reviewer police procurator court rightsholder platform")->required();
  add->add_option("--org", args->org, "机构代码（默认自治区双打办 NMG-SDB）")->capture_default_str();
  add->add_option("--name", args->display_name, "姓名");
  add->add_option("--db", args->db, "数据库");
  add->add_flag("--password-stdin", args->password_stdin, "从标准输入读取密码");
  add->add_flag("--temporary", args->temporary, "首次登录须修改密码");
  add->callback([args, &runtime, &exit_code] { exit_code = AddUser(runtime, *args); });
  CLI::App* passwd = cmd->add_subcommand("passwd", "设置用户密码并解除锁定（密码从标准输入读取）");
  passwd->add_option("USERNAME", args->username, "用户名")->required();
  passwd->add_option("--db", args->db, "数据库");
  passwd->add_flag("--password-stdin", args->password_stdin, "从标准输入读取密码");
  passwd->add_flag("--temporary", args->temporary, "下次登录须修改密码");
  passwd->callback([args, &runtime, &exit_code] { exit_code = ChangePassword(runtime, *args); });
}

}  // namespace redshield::cli
