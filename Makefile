# The README's two commands: `make run` and `make test` (Debian 12, as root).
BUILD ?= build
JOBS ?= $(shell nproc)
DB ?= sqlite:./redshield.db
LISTEN ?= 127.0.0.1:8080
CMAKE_FLAGS ?=
TARGET ?= all
# ccache hits across clones in different folders (CI clones afresh each run).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: run test test-sanitize deps deps-test build web serve

run: deps web
	$(MAKE) build TARGET=redshield
	@test -f $(patsubst sqlite:%,%,$(DB)) || ./$(BUILD)/src/app/redshield init --demo --db $(DB)
	@echo ""
	@echo "  红盾 redshield: http://$(LISTEN)/"
	@echo "  演示账号 demo accounts (password Demo@Redshield2017):"
	@echo "    office 双打办 · officer 执法人员 · reviewer 审核人员 · police 公安 · procurator 检察 · court 法院"
	@echo "    enterprise 农资企业（追溯码）"
	@echo "    sysadmin 系统管理员 · secadmin 安全管理员 · auditadmin 审计管理员"
	@echo ""
	./$(BUILD)/src/app/redshield serve --db $(DB) --listen $(LISTEN) --web-root web/dist

test: deps-test
	$(MAKE) build CMAKE_FLAGS="-DREDSHIELD_WERROR=ON"
	$(MAKE) web
	tools/with-postgres.sh ctest --test-dir $(BUILD) --output-on-failure -j2

# The C++ suites again under AddressSanitizer + UBSan (CI runs this after `test`).
# -O1 -g1 (line tables for the reports' stacks): a Beast translation unit
# compiles in 8 s against 18 s at -O2 -g, and a cold build of every target took
# 27 minutes of CI's 40 at -O2 -g.
test-sanitize: deps-test
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO='-O1 -g1 -DNDEBUG' -DREDSHIELD_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=0 tools/with-postgres.sh ctest --test-dir build-asan --output-on-failure -j2 -E '^web_'

deps:
	tools/install-deps.sh run

deps-test:
	tools/install-deps.sh test

build:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target $(TARGET)

web:
	cd web && (test -d node_modules || npm ci --no-audit --no-fund) && npm run build
