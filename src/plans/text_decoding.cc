// Encoding detection (glibc iconv) and traditional -> simplified conversion
// (OpenCC) for plan_parser.h. OpenCC reports errors by throwing; the
// exceptions stop here.
#include <errno.h>
#include <iconv.h>

#include <exception>
#include <opencc/SimpleConverter.hpp>

#include "core/text.h"
#include "plans/plan_parser.h"

namespace redshield::plans {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

class IconvHandle {
 public:
  explicit IconvHandle(const char* from) : cd_(iconv_open("UTF-8", from)) {}
  ~IconvHandle() {
    if (Ok()) iconv_close(cd_);
  }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;

  bool Ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

// `bytes` in encoding `from` as UTF-8. kInvalidArgument if they are not valid
// in that encoding, kUnavailable if glibc lacks the converter.
Result<std::string> ConvertToUtf8(std::string_view bytes, const char* from) {
  IconvHandle handle(from);
  if (!handle.Ok()) return Fail(ErrorCode::kUnavailable, "系统缺少编码转换模块，无法读取该文件");
  std::string input(bytes);
  char* in = input.data();
  size_t in_left = input.size();
  std::string out(input.size() * 2 + 16, '\0');
  size_t used = 0;
  while (true) {
    char* out_ptr = out.data() + used;
    size_t out_left = out.size() - used;
    const size_t rc = iconv(handle.get(), in_left > 0 ? &in : nullptr, &in_left, &out_ptr, &out_left);
    used = out.size() - out_left;
    if (rc != static_cast<size_t>(-1)) {
      if (in_left == 0) break;
      continue;
    }
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    // EILSEQ (an invalid sequence) or EINVAL (the text ends mid-character).
    return Fail(ErrorCode::kInvalidArgument, std::string("文件不是有效的 ") + from + " 文本");
  }
  out.resize(used);
  return out;
}

// Control characters other than tab, line breaks and form feed; NUL counts.
size_t CountControls(std::string_view utf8, bool& has_nul) {
  size_t count = 0;
  for (char c : utf8) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0) has_nul = true;
    if ((byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r' && byte != '\f' &&
         byte != '\v') ||
        byte == 0x7F) {
      ++count;
    }
  }
  return count;
}

Error NotText() {
  return Error{ErrorCode::kInvalidArgument,
               "文件不是文本（含二进制数据）：请提供 .txt 文本，PDF 或 Word 请先另存为文本",
               ""};
}

// Drops the few stray control characters PDF extraction leaves; rejects
// binary data.
Result<std::string> CheckText(std::string utf8) {
  bool has_nul = false;
  const size_t controls = CountControls(utf8, has_nul);
  if (has_nul || controls * 50 > utf8.size()) return tl::unexpected(NotText());
  if (controls > 0) {
    std::string kept;
    kept.reserve(utf8.size());
    for (char c : utf8) {
      const auto byte = static_cast<unsigned char>(c);
      if ((byte >= 0x20 && byte != 0x7F) || byte == '\t' || byte == '\n' || byte == '\r' ||
          byte == '\f' || byte == '\v') {
        kept.push_back(c);
      }
    }
    utf8 = std::move(kept);
  }
  bool blank = true;
  for (char32_t cp : DecodeUtf8(utf8)) {
    if (!IsSpace(cp)) {
      blank = false;
      break;
    }
  }
  if (blank) return Fail(ErrorCode::kInvalidArgument, "文件为空");
  return utf8;
}

Result<DecodedText> Decoded(Result<std::string> utf8, const char* encoding) {
  RS_TRY(utf8);
  Result<std::string> checked = CheckText(std::move(*utf8));
  RS_TRY(checked);
  return DecodedText{std::move(*checked), encoding};
}

}  // namespace

Result<DecodedText> DecodePlanText(std::string_view bytes) {
  if (bytes.empty()) return Fail(ErrorCode::kInvalidArgument, "文件为空");
  if (bytes.starts_with(kUtf8Bom)) {
    bytes.remove_prefix(kUtf8Bom.size());
    if (!IsValidUtf8(bytes)) {
      return Fail(ErrorCode::kInvalidArgument, "文件以 UTF-8 标记开头，但内容不是有效的 UTF-8");
    }
    return Decoded(std::string(bytes), "UTF-8");
  }
  if (bytes.starts_with(kUtf16LeBom)) {
    return Decoded(ConvertToUtf8(bytes.substr(2), "UTF-16LE"), "UTF-16LE");
  }
  if (bytes.starts_with(kUtf16BeBom)) {
    return Decoded(ConvertToUtf8(bytes.substr(2), "UTF-16BE"), "UTF-16BE");
  }
  if (IsValidUtf8(bytes)) return Decoded(std::string(bytes), "UTF-8");
  if (bytes.find('\0') != std::string_view::npos) return tl::unexpected(NotText());
  Result<std::string> gb = ConvertToUtf8(bytes, "GB18030");
  if (!gb && gb.error().code == ErrorCode::kInvalidArgument) {
    return Fail(ErrorCode::kInvalidArgument,
                "无法识别文件编码：既不是 UTF-8，也不是 GB18030/GBK，或文件不是文本");
  }
  return Decoded(std::move(gb), "GB18030");
}

SimplifiedConverter::SimplifiedConverter(std::unique_ptr<opencc::SimpleConverter> impl)
    : impl_(std::move(impl)) {}

SimplifiedConverter::~SimplifiedConverter() = default;

Result<std::unique_ptr<SimplifiedConverter>> SimplifiedConverter::Create(const std::string& config) {
  try {
    auto impl = std::make_unique<opencc::SimpleConverter>(config);
    return std::unique_ptr<SimplifiedConverter>(new SimplifiedConverter(std::move(impl)));
  } catch (const std::exception&) {
    // OpenCC's message names the configuration path; it is not for users.
    return Fail(ErrorCode::kUnavailable, "无法载入繁简转换词典（OpenCC " + config + "）");
  }
}

Result<std::string> SimplifiedConverter::Convert(std::string_view utf8) const {
  try {
    return impl_->Convert(utf8.data(), utf8.size());
  } catch (const std::exception&) {
    return Fail(ErrorCode::kInvalidArgument, "繁简转换失败：文本不是有效的 UTF-8");
  }
}

}  // namespace redshield::plans
