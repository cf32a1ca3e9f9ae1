// Boost.JSON compiled into the plugin itself, so that the plugin depends on no
// Boost shared library (its symbols stay local: see core/plugin.map).
#include <boost/json/src.hpp>
