/* cochlea-engine.h — the engine's umbrella header; app/ and the CLI include
 * only this.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-error.h"
#include "cochlea-analysis.h"
#include "media/cochlea-decoder.h"
#include "dsp/cochlea-stft.h"
#include "dsp/cochlea-mel.h"
#include "dsp/cochlea-npy.h"
#include "dsp/cochlea-spectrogram.h"
#include "nn/cochlea-tensor.h"
#include "nn/cochlea-model.h"
#include "nn/cochlea-train.h"
#include "nn/cochlea-train-data.h"
#include "synth/cochlea-corpus.h"
#include "synth/cochlea-song.h"
#include "synth/cochlea-synth.h"
#include "store/cochlea-features.h"
#include "store/cochlea-catalogue.h"
#include "store/cochlea-catalogue-attributes.h"
#include "store/cochlea-import.h"
#include "store/cochlea-recommend.h"
#include "store/cochlea-index-file.h"
#include "store/cochlea-taste.h"
#include "store/cochlea-playlist-io.h"
#include "store/cochlea-playlist-edit.h"
