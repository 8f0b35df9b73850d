/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_VERSION_H
#define NQSTAT_VERSION_H

#define NQSTAT_VERSION "0.1.0"

#endif /* NQSTAT_VERSION_H */
