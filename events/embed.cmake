# Turns a file into a C++ byte array: cmake -DIN=f -DOUT=f.cc -DNAME=kX -DNS=a::b -P embed.cmake
# Defines `const uint8_t NAME[]` (with a trailing NUL, not counted) and `const size_t NAME##Size`.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by embed.cmake. Do not edit.\n#include <cstddef>\n#include <cstdint>\nnamespace ${NS} {\nalignas(16) extern const uint8_t ${NAME}[] = {\n${bytes}0x00};\nextern const size_t ${NAME}Size = ${size};\n}\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
