/* cochlea-error.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define COCHLEA_ENGINE_ERROR (cochlea_engine_error_quark ())

/**
 * CochleaEngineError:
 * @COCHLEA_ENGINE_ERROR_FAILED: anything not covered below
 * @COCHLEA_ENGINE_ERROR_NOT_FOUND: the file does not exist
 * @COCHLEA_ENGINE_ERROR_INVALID_FILE: the file exists but is not usable input
 *   (a directory, empty, not audio, corrupt, garbage)
 * @COCHLEA_ENGINE_ERROR_PERMISSION: the file cannot be read
 * @COCHLEA_ENGINE_ERROR_MISSING_PLUGIN: a GStreamer plugin needed to decode is
 *   not installed; the message names the package
 * @COCHLEA_ENGINE_ERROR_NO_AUDIO: the file decodes but has no audio stream
 * @COCHLEA_ENGINE_ERROR_TIMEOUT: the decoder stopped making progress
 * @COCHLEA_ENGINE_ERROR_VERSION: a file written by a newer version
 * @COCHLEA_ENGINE_ERROR_SHAPE: a tensor has the wrong shape or dtype
 * @COCHLEA_ENGINE_ERROR_NO_MEMORY: an allocation of user-controlled size failed
 * @COCHLEA_ENGINE_ERROR_IO: writing an output file failed
 */
typedef enum
{
  COCHLEA_ENGINE_ERROR_FAILED,
  COCHLEA_ENGINE_ERROR_NOT_FOUND,
  COCHLEA_ENGINE_ERROR_INVALID_FILE,
  COCHLEA_ENGINE_ERROR_PERMISSION,
  COCHLEA_ENGINE_ERROR_MISSING_PLUGIN,
  COCHLEA_ENGINE_ERROR_NO_AUDIO,
  COCHLEA_ENGINE_ERROR_TIMEOUT,
  COCHLEA_ENGINE_ERROR_VERSION,
  COCHLEA_ENGINE_ERROR_SHAPE,
  COCHLEA_ENGINE_ERROR_NO_MEMORY,
  COCHLEA_ENGINE_ERROR_IO,
} CochleaEngineError;

GQuark cochlea_engine_error_quark (void);

G_END_DECLS
