// The compiled part of Boost.Asio, once for the whole proxy library.
#include <boost/asio/impl/src.hpp>
