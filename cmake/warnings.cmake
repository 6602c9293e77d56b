# Warnings and sanitizers for tapeless's own targets (never propagated to users).
add_library(tapeless_project_options INTERFACE)
target_compile_options(tapeless_project_options INTERFACE -Wall -Wextra -Wpedantic -Werror)
if(TAPELESS_SANITIZE)
  target_compile_options(tapeless_project_options INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(tapeless_project_options INTERFACE -fsanitize=address,undefined)
endif()

# tapeless_target(<name>): our warnings (and sanitizers) plus the library.
function(tapeless_target name)
  target_link_libraries(${name} PRIVATE tapeless::tapeless tapeless_project_options)
endfunction()
