#include "core/thread_name.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>
#include <thread>

namespace redshield {
namespace {

std::string NameOfThreadNamed(const std::string& name) {
  std::string seen;
  std::thread([&] {
    NameThisThread(name);
    char buf[64] = {};
    pthread_getname_np(pthread_self(), buf, sizeof buf);
    seen = buf;
  }).join();
  return seen;
}

TEST(ThreadName, NamesTheCallingThread) { EXPECT_EQ(NameOfThreadNamed("rs-scans"), "rs-scans"); }

TEST(ThreadName, KeepsTheFirst15Bytes) {
  EXPECT_EQ(NameOfThreadNamed("rs-checkpointer-of-the-wal"), "rs-checkpointer");
}

}  // namespace
}  // namespace redshield
