"""The kit carries an encoder–decoder end to end: a real T5 (tied embeddings, `</s>`, `<pad>` as decoder start, relative
positions) trains a step on the kit's loop, is checkpointed and loaded back, generates in batches exactly as one example
at a time, and a decoding step is attributed through a `TargetScore`."""
import torch
from paperlib.adapters import adapter, pad_sequences
from paperlib.attribution import attribute, explain
from paperlib.experiment import seq2seq_tensors, trim, rows
from paperlib.models import load_seq2seq, load_checkpoint
from paperlib.targets import StepLogit
from paperlib.training import train

SRC = ["explain cos_e question: where would you find a beaver? choice: river choice: house",
       "explain nli hypothesis: a person makes music premise: a man plays guitar", "is the sky green?", "a dog"]
TGT = ["river explanation: beavers live in water", "entailment explanation: playing guitar is making music", "no", "yes"]


def test_t5_train_save_load_generate_attribute(tmp_path):
    model, tok = load_seq2seq("tiny-t5", seed=0)
    T = seq2seq_tensors(tok, SRC, TGT)
    ad = adapter(model)
    step = lambda m, b: {"loss": adapter(m).forward(**b).loss}
    before = {k: v.detach().clone() for k, v in model.state_dict().items()}
    res = train(model, step, lambda e: [trim(rows(T, [0, 1])), trim(rows(T, [2, 3]))], epochs=1, lr=1e-2, ckpt_dir=tmp_path/"ck", log=lambda *_: None)
    assert res.steps == 2 and any(not torch.equal(before[k], v) for k, v in model.state_dict().items())    # it trained
    assert model.lm_head.weight.data_ptr() == model.shared.weight.data_ptr() or not model.config.tie_word_embeddings
    loaded, _ = load_checkpoint(tmp_path/"ck"/"last")
    model.eval(); loaded.eval()
    with torch.no_grad():
        assert torch.allclose(loaded(**T).logits, model(**T).logits, atol=1e-6)                            # the round trip keeps every weight
    batched = adapter(loaded).generate(T["input_ids"], T["attention_mask"], max_new_tokens=6, batch_size=4)
    assert batched == [adapter(loaded).generate(T["input_ids"][i:i + 1], T["attention_mask"][i:i + 1], max_new_tokens=6)[0] for i in range(4)]
    gen = pad_sequences(batched, -100)
    a = attribute("input_x_gradient", loaded, T["input_ids"], T["attention_mask"], StepLogit(gen, 1))
    assert a.shape == T["input_ids"].shape and a.abs().sum() > 0 and (a * (1 - T["attention_mask"])).abs().sum() == 0
    ex = explain("integrated_gradients", loaded, T["input_ids"], T["attention_mask"], StepLogit(gen, 0), n_steps=8)
    assert ex.tokens(tok)[2][-1] == "</s>" and ex.scores.shape == T["input_ids"].shape
