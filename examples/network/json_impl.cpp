// Boost.JSON compiled into the plugin (the SDK parses the policy with it), so
// that the plugin needs no Boost library at run time.
#include <boost/json/src.hpp>
